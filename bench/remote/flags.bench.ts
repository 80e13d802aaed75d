import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFlagResolver, type FlagContext, type FlagResolver } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import type { BenchContext, BenchSection } from '../lib/context';
import { row, type BenchRow } from '../lib/results';
import { median } from '../lib/stats';

const SECTION = '3 flags';
const EVALUATIONS = 200_000;
const ROUNDS = 5;

const FLAGS = {
  flags: {
    'weather-remote': { enabled: true, rollout: 50, stickiness: 'userId' },
    'users-remote': { enabled: true },
    'users-shadow': { enabled: false },
  },
};

/** Mean µs per isEnabled over a batch; contexts vary so the rollout hash cannot be cached by accident. */
function timeEvaluations(flags: FlagResolver, name: string, contexts: FlagContext[]): number {
  let on = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVALUATIONS; i++) if (flags.isEnabled(name, contexts[i % contexts.length])) on += 1;
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  // Using the count keeps the loop from being optimised away.
  if (on < 0) throw new Error('unreachable');
  return elapsed / EVALUATIONS;
}

/**
 * Issue 3: the cost of one flag evaluation, the way the switch asks on every call: the
 * file-backed resolver (the default backend), with its evaluation counter on a registry.
 */
async function runFlags(_ctx: BenchContext): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'jeeves-bench-flags-'));
  const file = join(dir, 'flags.json');
  await writeFile(file, JSON.stringify(FLAGS));
  const flags = createFlagResolver({
    flagsFile: file,
    refreshMs: 60_000,
    dataDir: dir,
    logger: createLogger({ level: 'warn', name: 'jeeves-bench' }),
    metrics: createMetrics({ defaults: false }),
  });
  try {
    await flags.ready();
    const contexts: FlagContext[] = Array.from({ length: 1000 }, (_, i) => ({ userId: `U${String(i).padStart(9, '0')}`, teamId: 'T061EG9R6' }));
    const cases: Array<{ label: string; name: string }> = [
      { label: '50% rollout sticky on the user (murmurhash)', name: 'weather-remote' },
      { label: 'fully on', name: 'users-remote' },
      { label: 'off', name: 'users-shadow' },
      { label: 'unknown flag', name: 'tokens-remote' },
    ];
    const rows: BenchRow[] = [];
    for (const c of cases) {
      timeEvaluations(flags, c.name, contexts); // warm-up: let the JIT settle first
      const perCall = median(Array.from({ length: ROUNDS }, () => timeEvaluations(flags, c.name, contexts)));
      rows.push(row({ section: SECTION, name: `flag evaluation, ${c.label}`, value: perCall, unit: 'µs', target: { kind: 'at-most', max: 5 } }));
    }
    rows[0]!.note = `file backend with metrics; median of ${ROUNDS} × ${EVALUATIONS} evaluations; the Unleash backend is not measured (needs a server)`;
    return rows;
  } finally {
    await flags.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const flagsSection: BenchSection = { id: 'flags', issue: 3, title: 'Feature-flag evaluation cost', run: runFlags };
