import { Queue } from 'bullmq';
import type { BenchChild } from '../lib/child-process';

/** What one timed drain of a pre-filled queue gave. */
export interface DrainResult {
  /** Messages (or jobs) per second, from the queue's resume to the last one done. */
  rate: number;
  /** Worker CPU per message, all worker processes together, in ms. */
  cpuMsPerMessage: number;
}

export interface DrainPlan {
  /** The queue the workers consume, as BullMQ names it. */
  queue: string;
  prefix: string;
  redisUrl: string;
  workers: Array<BenchChild<unknown>>;
  warmup: number;
  count: number;
  /** Adds messages [from, from + n) to the queue. */
  fill(from: number, n: number): Promise<void>;
  /** Resolves once `total` messages have been handled since the start, with when the last one was (epoch ms). */
  handled(total: number): Promise<number>;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Times workers emptying a queue: they start and handle a warm-up batch first (so lazy module
 * loading, JIT and connection set-up stay out of the figure), then the queue is paused,
 * filled, and resumed; the clock and the CPU windows run from the resume to the last message.
 */
export async function timeDrain(plan: DrainPlan): Promise<DrainResult> {
  const admin = new Queue(plan.queue, { connection: { url: plan.redisUrl }, prefix: plan.prefix });
  try {
    await plan.fill(0, plan.warmup);
    await Promise.all(plan.workers.map((w) => w.call('go')));
    await plan.handled(plan.warmup);
    await admin.pause();
    await plan.fill(plan.warmup, plan.count);
    await Promise.all(plan.workers.map((w) => w.cpuMark()));
    const started = now();
    await admin.resume();
    const lastAt = await plan.handled(plan.warmup + plan.count);
    const windows = await Promise.all(plan.workers.map((w) => w.cpuRead()));
    return {
      rate: (plan.count / (lastAt - started)) * 1000,
      cpuMsPerMessage: windows.reduce((ms, w) => ms + w.cores * w.wallMs, 0) / plan.count,
    };
  } finally {
    await admin.close();
  }
}
