import { Queue } from 'bullmq';
import type { CpuWindow } from '../lib/child-process';
import { createRedisCpuMeter } from '../lib/redis-cpu';

/** What one timed drain of a pre-filled queue gave. */
export interface DrainResult {
  /** Messages (or jobs) per second, from the queue's resume to the last one done. */
  rate: number;
  /** Worker CPU per message, all worker processes together, in ms. */
  cpuMsPerMessage: number;
  /** Redis server CPU per message over the same window, in ms (an upper bound: Redis is shared). */
  redisCpuMsPerMessage: number;
  /** This process's CPU per message (the Slack stand-in, or the raw side's polling), in ms. */
  benchCpuMsPerMessage: number;
}

/** One worker process of a side: told to start consuming, and its CPU read around each round. */
export interface DrainWorker {
  go(): Promise<void>;
  cpuMark(): Promise<void>;
  cpuRead(): Promise<CpuWindow>;
}

export interface DrainPlan {
  /** The queue the workers consume, as BullMQ names it. */
  queue: string;
  prefix: string;
  redisUrl: string;
  workers: DrainWorker[];
  warmup: number;
  /** Messages per timed round. */
  count: number;
  /** Adds messages [from, from + n) to the queue. */
  fill(from: number, n: number): Promise<void>;
  /** Resolves once `total` messages have been handled since the start, with when the last one was (epoch ms). */
  handled(total: number): Promise<number>;
  /** Stops the workers and lets go of what the side opened; run by close(), or when the warm-up fails. */
  teardown(): Promise<void>;
}

/** A queue with its workers started and warmed up, ready for timed rounds. */
export interface Drainer {
  round(): Promise<DrainResult>;
  close(): Promise<void>;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Times workers emptying a queue: they start and handle a warm-up batch first (so lazy module
 * loading, JIT and connection set-up stay out of the figure); then each round pauses the queue,
 * fills it, and resumes it, and the clock and the CPU windows run from the resume to the last
 * message.
 */
export async function startDrainer(plan: DrainPlan): Promise<Drainer> {
  const admin = new Queue(plan.queue, { connection: { url: plan.redisUrl }, prefix: plan.prefix });
  const redisCpu = createRedisCpuMeter(plan.redisUrl);
  let done = plan.warmup;
  try {
    await plan.fill(0, plan.warmup);
    await Promise.all(plan.workers.map((w) => w.go()));
    await plan.handled(plan.warmup);
  } catch (err) {
    redisCpu.close();
    await admin.close();
    await plan.teardown();
    throw err;
  }
  return {
    async round() {
      await admin.pause();
      await plan.fill(done, plan.count);
      await Promise.all([...plan.workers.map((w) => w.cpuMark()), redisCpu.mark()]);
      const benchCpu = process.cpuUsage();
      const started = now();
      await admin.resume();
      done += plan.count;
      const lastAt = await plan.handled(done);
      const benchUsed = process.cpuUsage(benchCpu);
      const [redisCores, ...windows] = await Promise.all([redisCpu.read(), ...plan.workers.map((w) => w.cpuRead())]);
      const wallMs = now() - started;
      return {
        rate: (plan.count / (lastAt - started)) * 1000,
        cpuMsPerMessage: windows.reduce((ms, w) => ms + w.cores * w.wallMs, 0) / plan.count,
        redisCpuMsPerMessage: (redisCores * wallMs) / plan.count,
        benchCpuMsPerMessage: (benchUsed.user + benchUsed.system) / 1000 / plan.count,
      };
    },
    async close() {
      redisCpu.close();
      await admin.close();
      await plan.teardown();
    },
  };
}
