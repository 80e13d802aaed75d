import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '../logger';
import { within } from '../time-bound';
import { createRedisConnection, type RedisClient } from '../redis';
import { keepFinishedJobsYoung } from './bullmq-heap';
import { backoffStrategy, type Retention } from './bullmq-options';
import { createCompletionCounter, type CompletionCounter } from './completion-count';
import { errorMessage, isPermanentJobError, runJob } from './job-runner';
import type { JobHandler, JobInfo } from './queue';

export interface BullmqWorkerOptions<T> {
  queue: string;
  handler: JobHandler<T>;
  concurrency: number;
  /** See WorkOptions.inContext. */
  inContext: boolean;
  redisUrl: string;
  prefix: string;
  logger: Logger;
  kept: Retention;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
}

/** A running worker and what closing it takes. */
export interface BullmqWorker {
  worker: Worker;
  /** Lets in-flight jobs finish for up to graceMs, then lets go of them and of the connection. */
  close(graceMs: number): Promise<void>;
}

/** How long a connection (or a queue) being closed may take to say goodbye before it is dropped. */
export const TEARDOWN_MS = 2000;

/** A BullMQ Worker running our handler, with our backoff and our failure classes. */
export function createBullmqWorker<T>(options: BullmqWorkerOptions<T>): BullmqWorker {
  const { queue, handler, logger, inContext } = options;
  if (!keepFinishedJobsYoung()) warnUnpatchedOnce(logger);
  // Ours, not BullMQ's: named for CLIENT LIST, and closed by close() below, since BullMQ leaves a
  // given connection open (its blocking one it opens and closes itself). Plain writes: auto-
  // pipelining slows a lone worker's deliveries (bench/README.md).
  const connection = createRedisConnection(options.redisUrl, { forWorker: true, connectionName: `${options.prefix}:worker` });
  const worker = new Worker(
    queue,
    (job: Job) => {
      const info: JobInfo<T> = {
        id: job.id ?? '',
        queue,
        name: job.name,
        data: job.data as T,
        attemptsMade: job.attemptsMade,
        attemptsStarted: job.attemptsStarted,
        attempts: job.opts.attempts ?? 1,
      };
      if (job.attemptsMade > 0 && job.failedReason) info.lastError = job.failedReason;
      return runJob(logger, info, handler, inContext).catch((err: unknown) => {
        if (isPermanentJobError(err)) throw Object.assign(new UnrecoverableError(errorMessage(err)), { cause: err });
        throw err;
      });
    },
    {
      connection,
      prefix: options.prefix,
      name: `${hostname()}:${process.pid}`,
      concurrency: options.concurrency,
      ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
      ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
      ...options.kept,
      settings: { backoffStrategy },
    },
  );
  watchWorker(worker, queue, logger);
  // Per-minute completions in Redis, shared by every worker: the dashboard's jobs per minute.
  const completions = createCompletionCounter(connection, options.prefix, queue);
  worker.on('completed', () => completions.add());
  return {
    worker,
    close: (graceMs) => closeWorker(worker, connection, completions, graceMs, logger),
  };
}

/** Lets in-flight jobs finish for up to graceMs, then lets go of them and of the connections. */
async function closeWorker(worker: Worker, connection: RedisClient, completions: CompletionCounter, graceMs: number, logger: Logger): Promise<void> {
  if (await within(worker.close(), graceMs)) {
    await within(completions.close(), TEARDOWN_MS);
    if (await within(connection.quit(), TEARDOWN_MS)) return;
  } else {
    // Past the grace period: drop the connections. The job's lock then lapses and another
    // worker runs it again (at-least-once), as after a crash.
    logger.warn({ queue: worker.name, graceMs }, 'worker closed with jobs still running');
    // Stops its timer; what it still counted goes with the connection.
    void completions.close();
    void worker.disconnect().catch(() => undefined);
  }
  connection.disconnect();
}

let warnedUnpatched = false;

/** Said once per process: the worker still runs, only its garbage collections cost more (bench/README.md). */
function warnUnpatchedOnce(logger: Logger): void {
  if (warnedUnpatched) return;
  warnedUnpatched = true;
  logger.warn("BullMQ's worker queue is not as platform/queue/bullmq-heap.ts expects: left unpatched, finished jobs may reach the old generation");
}

/** Worker errors repeat on every reconnect attempt: each message is logged once a minute. */
function watchWorker(worker: Worker, queue: string, logger: Logger): void {
  const lastLogged = new Map<string, number>();
  worker.on('error', (err) => {
    const message = errorMessage(err);
    const now = Date.now();
    if ((lastLogged.get(message) ?? 0) > now - 60_000) return;
    lastLogged.set(message, now);
    logger.warn({ err: message, queue }, 'queue worker error');
  });
  worker.on('stalled', (jobId) => logger.warn({ queue, jobId }, 'job stalled: its worker died; running it again'));
}
