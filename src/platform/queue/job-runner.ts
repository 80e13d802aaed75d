import { runWithContext } from '../context';
import type { Logger } from '../logger';
import { backoffDelay, type JobHandler, type JobInfo } from './queue';

/**
 * What both backends share about running one try of a job: how a failure is classified,
 * how long to wait before the next try, and how it is logged. One place, so the in-process
 * queue and BullMQ cannot drift apart.
 */

export type JobOutcome = 'completed' | 'retried' | 'failed';

// Names as well as classes: an error may come from another copy of this module (tsx, jest).
export function isPermanentJobError(err: unknown): boolean {
  return err instanceof Error && err.name === 'PermanentJobError';
}

export function retryAfterMsOf(err: unknown): number | undefined {
  if (!(err instanceof Error) || err.name !== 'RetryAfterError') return undefined;
  const ms = (err as Error & { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/** What happens after this try failed: another try, or the failed list. */
export function failureOutcome(err: unknown, job: Pick<JobInfo, 'attemptsMade' | 'attempts'>): 'retried' | 'failed' {
  return isPermanentJobError(err) || job.attemptsMade + 1 >= job.attempts ? 'failed' : 'retried';
}

/** The wait before the next try; `triesMade` counts the one that just failed. */
export function retryDelay(err: unknown, triesMade: number, backoffMs: number, random?: () => number): number {
  return retryAfterMsOf(err) ?? backoffDelay(triesMade, backoffMs, random);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A handler's promise, its synchronous throw included. */
export function callHandler<T>(handler: JobHandler<T>, job: JobInfo<T>): Promise<void> {
  try {
    return handler(job);
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Runs one try, in its own context unless told not to (WorkOptions.inContext), so every log line
 * of the job carries the job's id. A chain rather than async functions: with AsyncLocalStorage
 * on, every promise of a job costs hook calls, and this runs for every job.
 */
export function runJob<T>(logger: Logger, job: JobInfo<T>, handler: JobHandler<T>, inContext = true): Promise<void> {
  if (!inContext) return tryJob(logger, job, handler);
  return runWithContext({ requestId: `job:${job.queue}:${job.id}` }, () => tryJob(logger, job, handler));
}

/** One try of the handler, its outcome logged. */
function tryJob<T>(logger: Logger, job: JobInfo<T>, handler: JobHandler<T>): Promise<void> {
  const startedAt = performance.now();
  return callHandler(handler, job).then(
    () => {
      if (logger.isLevelEnabled('debug')) logger.debug({ queue: job.queue, job: job.name, jobId: job.id, ms: Math.round(performance.now() - startedAt) }, 'job completed');
    },
    (err: unknown) => {
      const outcome = failureOutcome(err, job);
      const fields = { queue: job.queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, of: job.attempts, err };
      if (outcome === 'retried') logger.warn(fields, 'job failed; will retry');
      // A known permanent condition (channel gone...) needs no one; exhausted retries may.
      else if (isPermanentJobError(err)) logger.warn(fields, 'job failed permanently');
      else logger.error(fields, 'job failed after its last attempt');
      throw err;
    },
  );
}
