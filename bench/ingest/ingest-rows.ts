import { row, type BenchRow } from '../lib/results';
import { median } from '../lib/stats';
import { INGEST_TARGETS, type IngestTarget } from './ingest-targets';

export const SECTION = '2 ingest';
export const CONNECTIONS = 64;
export const STEADY_RATE = 1000;

export const LABELS: Record<IngestTarget, string> = {
  'express-bare': 'bare Express 200',
  'bolt-receiver': 'Bolt HTTPReceiver no-op',
  'jeeves-compiled': 'Jeeves web, node dist (BullMQ)',
  'jeeves-tsx': 'Jeeves web, tsx (BullMQ)',
  'jeeves-memory': 'Jeeves app, tsx (in-process queue)',
};

/** One target's figures from one round. */
export interface Round {
  rps: number;
  /** 2xx responses per second of server CPU: the throughput with the other processes' share taken out. */
  rpsPerCore: number;
  p50: number;
  p99: number;
  maxNote: string;
  steadyNote: string;
  failures: number;
}

/** The section's rows: the median round of each target, each beside its baseline. */
export function toRows(rounds: Map<IngestTarget, Round[]>, count: number): BenchRow[] {
  const pick = (target: IngestTarget, key: 'rps' | 'rpsPerCore' | 'p50' | 'p99') => median(rounds.get(target)!.map((r) => r[key]));
  const middle = (target: IngestTarget) => {
    // The notes of the round whose throughput is the median one, so figures and notes agree.
    const sorted = [...rounds.get(target)!].sort((a, b) => a.rps - b.rps);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  };
  const failures = (target: IngestTarget) => rounds.get(target)!.reduce((n, r) => n + r.failures, 0);
  const suffix = count > 1 ? ` (median of ${count} rounds)` : '';
  const bolt = { name: LABELS['bolt-receiver'], value: pick('bolt-receiver', 'rps') };
  const bare = { name: LABELS['express-bare'], value: pick('express-bare', 'rps') };
  const rows: BenchRow[] = [];
  for (const target of INGEST_TARGETS) {
    const jeeves = target.startsWith('jeeves');
    const failed = failures(target) > 0 ? `; ${failures(target)} requests not answered 2xx` : '';
    rows.push(
      row({
        section: SECTION,
        name: `max throughput, ${LABELS[target]}${suffix}`,
        value: pick(target, 'rps'),
        unit: 'req/s',
        ...(jeeves ? { baseline: bolt } : target === 'bolt-receiver' ? { baseline: bare } : {}),
        ...(target === 'jeeves-compiled' ? { target: { kind: 'ratio-at-least', min: 1.0 } as const } : {}),
        note: `${CONNECTIONS} connections; ${middle(target).maxNote}${failed}`,
      }),
    );
  }
  rows.push(
    row({
      section: SECTION,
      name: `max throughput, ${LABELS['jeeves-compiled']} vs bare Express`,
      value: pick('jeeves-compiled', 'rps'),
      unit: 'req/s',
      baseline: bare,
    }),
    row({
      section: SECTION,
      name: `max throughput, ${LABELS['jeeves-compiled']} vs the same under tsx`,
      value: pick('jeeves-compiled', 'rps'),
      unit: 'req/s',
      baseline: { name: LABELS['jeeves-tsx'], value: pick('jeeves-tsx', 'rps') },
    }),
  );
  for (const target of INGEST_TARGETS) {
    rows.push(
      row({
        section: SECTION,
        name: `throughput per server core, ${LABELS[target]}`,
        value: pick(target, 'rpsPerCore'),
        unit: 'req/s/core',
        ...(target.startsWith('jeeves') ? { baseline: { name: LABELS['bolt-receiver'], value: pick('bolt-receiver', 'rpsPerCore') } } : {}),
        ...(target === 'jeeves-compiled' ? { note: 'CPU-normalised: barely moved by other processes on the machine; Redis CPU not included' } : {}),
      }),
    );
  }
  for (const target of INGEST_TARGETS) {
    for (const p of ['p50', 'p99'] as const) {
      rows.push(
        row({
          section: SECTION,
          name: `ack ${p} at a steady ${STEADY_RATE}/s, ${LABELS[target]}`,
          value: pick(target, p),
          unit: 'ms',
          ...(target.startsWith('jeeves') ? { baseline: { name: LABELS['bolt-receiver'], value: pick('bolt-receiver', p) } } : {}),
          ...(target === 'jeeves-compiled' && p === 'p99' ? { target: { kind: 'ratio-at-most', max: 1.0 } as const } : {}),
          ...(p === 'p99' ? { note: middle(target).steadyNote } : {}),
        }),
      );
    }
  }
  return rows;
}
