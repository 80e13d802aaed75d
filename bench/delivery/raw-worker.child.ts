import { Worker, type Job } from 'bullmq';
import { Pool } from 'undici';
import type { OutgoingSlackMessage } from '../../src/modules/slack';
import { hostChild } from '../lib/child-host';

export interface RawWorkerParams {
  redisUrl: string;
  queue: string;
  prefix: string;
  concurrency: number;
  /** When set, each job posts its message here (chat.postMessage, bare undici) instead of doing nothing. */
  post?: { apiUrl: string; token: string };
}

export interface RawWorkerStats {
  processed: number;
  /** Epoch ms (sub-ms precision) of the last job finished, comparable across processes. */
  lastAt: number;
}

/** What anyone would write to post one message: undici's request API on a kept-alive pool, the JSON answer read. */
function barePoster({ apiUrl, token }: { apiUrl: string; token: string }): { post(message: OutgoingSlackMessage): Promise<void>; close(): Promise<void> } {
  const url = new URL('chat.postMessage', apiUrl);
  const pool = new Pool(url.origin);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' };
  return {
    async post({ channel, text, threadTs }) {
      const { statusCode, body } = await pool.request({ method: 'POST', path: url.pathname, headers, body: JSON.stringify({ channel, text, thread_ts: threadTs }) });
      const answer = (await body.json()) as { ok?: boolean };
      if (statusCode !== 200 || answer.ok !== true) throw new Error(`chat.postMessage answered ${statusCode}`);
    },
    close: () => pool.close(),
  };
}

/**
 * The ceilings: a bare BullMQ worker whose jobs do nothing, or (with `post`) whose jobs only post
 * their message to the stand-in; waiting for `go` like the delivery workers.
 */
hostChild<RawWorkerParams>(async ({ redisUrl, queue, prefix, concurrency, post }) => {
  let processed = 0;
  let lastAt = 0;
  const poster = post ? barePoster(post) : undefined;
  const worker = new Worker(
    queue,
    async (job: Job<OutgoingSlackMessage>) => {
      if (poster) await poster.post(job.data);
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
    close: async () => {
      await worker.close();
      await poster?.close();
    },
  };
});
