import { Worker } from 'bullmq';
import { hostChild } from '../lib/child-host';

export interface RawWorkerParams {
  redisUrl: string;
  queue: string;
  prefix: string;
  concurrency: number;
}

export interface RawWorkerStats {
  processed: number;
  /** Epoch ms (sub-ms precision) of the last job finished, comparable across processes. */
  lastAt: number;
}

/** The ceiling: a bare BullMQ worker whose jobs do nothing, waiting for `go` like the delivery workers. */
hostChild<RawWorkerParams>(async ({ redisUrl, queue, prefix, concurrency }) => {
  let processed = 0;
  let lastAt = 0;
  const worker = new Worker(
    queue,
    async () => {
      processed += 1;
      lastAt = performance.timeOrigin + performance.now();
    },
    { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix, concurrency, autorun: false },
  );
  await worker.waitUntilReady();
  return {
    ready: null,
    methods: {
      go: () => void worker.run(),
      stats: (): RawWorkerStats => ({ processed, lastAt }),
    },
    close: () => worker.close(),
  };
});
