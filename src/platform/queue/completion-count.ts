import type { RedisClient } from '../redis';
import { MINUTE_MS } from '../rolling-count';

/**
 * Jobs completed per minute, shared by every worker of a deployment: what the dashboard's jobs
 * per minute reads, whichever web process serves it. Each worker counts in a plain number and
 * adds its count to the minute's key once a second, two commands a second, where BullMQ's own
 * worker metrics run two more commands inside every job's completion (bench/README.md).
 */

/** One key per queue and minute, under the queue's prefix (so on the queue's cluster slot). */
export function completionsKey(prefix: string, queue: string, minute: number): string {
  return `${prefix}:${queue}:completed-per-minute:${minute}`;
}

/** A minute's count outlives the window that reads it (this minute and the one before). */
const KEEP_SECONDS = 180;
const FLUSH_EVERY_MS = 1000;

export interface CompletionCounter {
  /** One job completed. */
  add(): void;
  /** Adds what is still counted here; the caller bounds how long it may take. */
  close(): Promise<void>;
}

export function createCompletionCounter(redis: RedisClient, prefix: string, queue: string, now: () => number = Date.now): CompletionCounter {
  let pending = 0;
  let flushing: Promise<void> | undefined;
  const flush = async () => {
    if (pending === 0) return;
    const counted = pending;
    pending = 0;
    const key = completionsKey(prefix, queue, Math.floor(now() / MINUTE_MS));
    try {
      // MULTI: both or neither. While Redis is away the worker's connection holds the command
      // until it returns; a refused one applied nothing, and its count goes with the next flush.
      // (A reply lost after Redis applied it would count those completions twice: a dashboard
      // figure, not a record.)
      await redis.multi().incrby(key, counted).expire(key, KEEP_SECONDS).exec();
    } catch {
      // Kept for the next flush, not lost; the worker logs Redis errors itself.
      pending += counted;
    }
  };
  const tick = () => {
    flushing ??= flush().finally(() => {
      flushing = undefined;
    });
  };
  const timer = setInterval(tick, FLUSH_EVERY_MS);
  timer.unref();
  return {
    add() {
      pending += 1;
    },
    async close() {
      clearInterval(timer);
      await flushing;
      await flush();
    },
  };
}

/**
 * Completions of the 60 s before `now`: all of this minute's so far, and the share of the
 * minute before that is still inside the window.
 */
export function completedInLastMinute(thisMinute: number, minuteBefore: number, now: number): number {
  const stillInside = 1 - (now % MINUTE_MS) / MINUTE_MS;
  return Math.round(thisMinute + minuteBefore * stillInside);
}
