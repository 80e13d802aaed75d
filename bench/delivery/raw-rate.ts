import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { BenchContext } from '../lib/context';
import { CONCURRENCY, DRAIN_TIMEOUT_MS, message, startWorkers, WARMUP } from './delivery-workers';
import { startDrainer, type Drainer } from './drain';
import type { RawWorkerParams, RawWorkerStats } from './raw-worker.child';

const RAW_QUEUE = 'bench-noop';

/**
 * Bare BullMQ workers on the same Redis, same concurrency, timed the same way: doing nothing
 * (twice the jobs per round), or, given a stand-in, only posting each message to it.
 */
export async function startRawSide(ctx: BenchContext, redisUrl: string, workers: number, post?: RawWorkerParams['post']): Promise<Drainer> {
  const prefix = `jeeves-bench:${ctx.runId}:${post ? 'post' : 'raw'}${workers}`;
  const params: RawWorkerParams = { redisUrl, queue: RAW_QUEUE, prefix, concurrency: CONCURRENCY, ...(post ? { post } : {}) };
  const children = await startWorkers<null>(workers, post ? 'post-worker' : 'raw-worker', join(__dirname, 'raw-worker.child.ts'), params);
  const queue = new Queue(RAW_QUEUE, { connection: { url: redisUrl }, prefix });
  return startDrainer({
      queue: RAW_QUEUE,
      prefix,
      redisUrl,
      workers: children.map((c) => ({ go: () => c.call<void>('go'), cpuMark: () => c.cpuMark(), cpuRead: () => c.cpuRead() })),
      warmup: WARMUP,
      count: ctx.settings.deliveryMessages * (post ? 1 : 2),
      async fill(from, n) {
        for (let seq = from; seq < from + n; seq += 500) {
          const data = (i: number) => message(ctx.runId, workers, seq + i);
          await queue.addBulk(Array.from({ length: Math.min(500, from + n - seq) }, (_, i) => ({ name: 'post', data: data(i), opts: { removeOnComplete: true } })));
        }
      },
      async handled(total) {
        const deadline = performance.now() + DRAIN_TIMEOUT_MS;
        // Bounded poll: the workers count their own jobs; 20 ms is small against a run of seconds.
        for (;;) {
          const stats = await Promise.all(children.map((c) => c.call<RawWorkerStats>('stats')));
          const processed = stats.reduce((n, s) => n + s.processed, 0);
          if (processed >= total) return Math.max(...stats.map((s) => s.lastAt));
          if (performance.now() > deadline) throw new Error(`${post ? 'post-only' : 'raw'} BullMQ: only ${processed} of ${total} jobs done`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      async teardown() {
        await Promise.all(children.map((c) => c.close()));
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      },
    });
}
