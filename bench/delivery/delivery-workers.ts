import { DEFAULT_DELIVERY_CONCURRENCY } from '../../src/modules/slack';
import type { OutgoingSlackMessage } from '../../src/modules/slack';
import { startChild, type BenchChild } from '../lib/child-process';
import { threadTsOf } from '../lib/signed-events';

/** createSlackDelivery's default, given to the raw workers too so both do the same number of jobs at once. */
export const CONCURRENCY = DEFAULT_DELIVERY_CONCURRENCY;
export const DRAIN_TIMEOUT_MS = 60_000;
/** Handled before the clock starts, by the same workers. */
export const WARMUP = 2000;

/** One outgoing message; its thread names it, so the stand-in can count it. */
export function message(runId: string, workers: number, seq: number): OutgoingSlackMessage {
  return {
    teamId: 'T061EG9R6',
    channel: `D${String(seq % 50).padStart(9, '0')}`,
    text: `Reminder: stretch (message ${seq})`,
    threadTs: threadTsOf(workers * 1_000_000 + seq),
    key: `bench:${runId}:${workers}:${seq}`,
  };
}

/** Starts the worker processes one at a time (start-up compiles TypeScript; in parallel they would fight for the cores). */
export async function startWorkers<R>(count: number, name: string, script: string, params: unknown): Promise<Array<BenchChild<R>>> {
  const children: Array<BenchChild<R>> = [];
  try {
    for (let i = 0; i < count; i++) children.push(await startChild<R>(`${name}-${i + 1}`, script, params));
  } catch (err) {
    await Promise.all(children.map((c) => c.close()));
    throw err;
  }
  return children;
}
