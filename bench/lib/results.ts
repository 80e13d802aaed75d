import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What a figure must reach: a ratio to its baseline, or an absolute bound in the row's unit. */
export type Target =
  | { kind: 'ratio-at-least'; min: number }
  | { kind: 'ratio-at-most'; max: number }
  | { kind: 'at-most'; max: number }
  | { kind: 'at-least'; min: number };

export interface BenchRow {
  /** The section, named after the issue whose benchmarks it runs (e.g. "2 ingest"). */
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  target?: string;
  /** Undefined when the row has no target (an informative figure). */
  pass?: boolean;
  note?: string;
}

export interface RowInput {
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  target?: Target;
  note?: string;
}

function describeTarget(target: Target, unit: string): string {
  if (target.kind === 'ratio-at-least') return `≥ ${target.min}×`;
  if (target.kind === 'ratio-at-most') return `≤ ${target.max}×`;
  if (target.kind === 'at-most') return `< ${target.max} ${unit}`;
  return `≥ ${target.min} ${unit}`;
}

function meets(target: Target, value: number, ratio: number | undefined): boolean {
  if (!Number.isFinite(value)) return false;
  if (target.kind === 'ratio-at-least') return ratio !== undefined && ratio >= target.min;
  if (target.kind === 'ratio-at-most') return ratio !== undefined && ratio <= target.max;
  if (target.kind === 'at-most') return value < target.max;
  return value >= target.min;
}

export function row(input: RowInput): BenchRow {
  const ratio = input.baseline && input.baseline.value > 0 ? input.value / input.baseline.value : undefined;
  const out: BenchRow = { section: input.section, name: input.name, value: input.value, unit: input.unit };
  if (input.baseline) out.baseline = input.baseline;
  if (ratio !== undefined) out.ratio = ratio;
  if (input.target) {
    out.target = describeTarget(input.target, input.unit);
    out.pass = meets(input.target, input.value, ratio);
  }
  if (input.note) out.note = input.note;
  return out;
}

/** A row that says a measurement could not be made, and why: printed, never silently dropped. */
export function failedRow(section: string, name: string, err: unknown): BenchRow {
  const why = err instanceof Error ? err.message : String(err);
  return { section, name, value: Number.NaN, unit: '', pass: false, note: `not measured: ${why}` };
}

function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`.trim();
}

export function formatTable(rows: BenchRow[]): string {
  const header = ['section', 'name', 'value', 'baseline', 'ratio', 'target', 'result'];
  const lines = rows.map((r) => [
    r.section,
    r.name,
    formatNumber(r.value, r.unit),
    r.baseline ? `${formatNumber(r.baseline.value, r.unit)} (${r.baseline.name})` : '',
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = rows.filter((r) => r.note).map((r) => `  * ${r.section} / ${r.name}: ${r.note}`);
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}

export async function writeJson(path: string, data: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // NaN (an unmeasured figure) becomes null rather than breaking the file.
  await writeFile(path, `${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}
