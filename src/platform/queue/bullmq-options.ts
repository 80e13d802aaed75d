import type { BackoffStrategy, JobsOptions, KeepJobs, RepeatOptions } from 'bullmq';
import { retryDelay } from './job-runner';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, DEFAULT_IDEMPOTENCY_TTL_MS, type JobOptions, type ScheduleSpec } from './queue';

/** The name under which jobs ask for our backoff; BullMQ calls the worker's strategy for it. */
export const BACKOFF_TYPE = 'jeeves';

export interface Retention {
  removeOnComplete: KeepJobs;
  removeOnFail: KeepJobs;
}

/** Finished jobs kept in Redis: enough for the dashboard and dead letters, bounded in size. */
export function retention(keepCompleted: number, keepFailed: number): Retention {
  return {
    removeOnComplete: { count: keepCompleted, age: 24 * 60 * 60 },
    removeOnFail: { count: keepFailed, age: 7 * 24 * 60 * 60 },
  };
}

/** Defaults every job of ours carries unless add() says otherwise. */
export function defaultJobOptions(kept: Retention): JobsOptions {
  return { attempts: DEFAULT_ATTEMPTS, backoff: { type: BACKOFF_TYPE, delay: DEFAULT_BACKOFF_MS }, ...kept };
}

/** Only what differs from the queue's defaults: add() sits on the ingest hot path. */
export function toJobsOptions(options: JobOptions): JobsOptions {
  const opts: JobsOptions = {};
  if (options.attempts !== undefined) opts.attempts = Math.max(1, options.attempts);
  if (options.backoffMs !== undefined) opts.backoff = { type: BACKOFF_TYPE, delay: options.backoffMs };
  if (options.delayMs !== undefined && options.delayMs > 0) opts.delay = options.delayMs;
  if (options.forgetWhenCompleted === true) opts.removeOnComplete = true;
  if (options.idempotencyKey !== undefined) {
    // With a ttl, BullMQ keeps the key after the job ends, until the ttl: "seen" means seen.
    opts.deduplication = { id: options.idempotencyKey, ttl: options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS };
  }
  return opts;
}

export function toRepeatOptions(spec: ScheduleSpec): Omit<RepeatOptions, 'key'> {
  return 'everyMs' in spec ? { every: spec.everyMs } : { pattern: spec.pattern, ...(spec.tz ? { tz: spec.tz } : {}) };
}

/** The same curve as the in-process queue, and RetryAfterError's delay when one is thrown. */
export const backoffStrategy: BackoffStrategy = (triesMade, _type, err, job) => {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' ? (backoff.delay ?? DEFAULT_BACKOFF_MS) : DEFAULT_BACKOFF_MS;
  return retryDelay(err, triesMade, base);
};
