import { Queue, type Job, type JobsOptions } from 'bullmq';
import { UnavailableError } from '../errors';
import type { Logger } from '../logger';
import { corkForThisTurn, createRedisConnection, redactRedisUrl, whenRedisReady } from '../redis';
import { hasHashTag, isRedisClusterUrl } from '../redis-url';
import { createAddBatcher, type BatchedJob } from './add-batcher';
import { defaultJobOptions, retention, toJobsOptions, toRepeatOptions } from './bullmq-options';
import { bounded, within } from '../time-bound';
import { createBullmqWorker, TEARDOWN_MS, type BullmqWorker } from './bullmq-worker';
import { completedInLastMinute, completionsKey } from './completion-count';
import { MINUTE_MS } from '../rolling-count';
import { errorMessage } from './job-runner';
import {
  DEFAULT_CLOSE_GRACE_MS,
  DEFAULT_KEEP_COMPLETED,
  DEFAULT_KEEP_FAILED,
  type FailedJob,
  type JobHandler,
  type JobQueue,
  type WorkOptions,
} from './queue';
import { validateSchedule } from './schedule-timing';

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Namespace of every key (default `jeeves:bull`): tests give each test its own. On a cluster it needs a hash tag. */
  prefix?: string;
  logger: Logger;
  /** How long a worker's claim on a job lasts without renewal; a dead worker's job waits this long. */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died. */
  stalledIntervalMs?: number;
  /** How many times a job may be recovered from a dead worker before it fails. */
  maxStalledCount?: number;
  keepCompleted?: number;
  keepFailed?: number;
  /** How long add() waits for the first connection before rejecting (default 2 s). */
  connectWaitMs?: number;
  /** Upper bound on one operation (an add's batch, a count, a ping) before it fails as unavailable (default 5 s). */
  operationTimeoutMs?: number;
}

/** An operation that outlived its bound; "timed out" makes guarded() report Redis as unavailable. */
const timedOut = (ms: number) => `Redis did not answer within ${ms} ms (timed out)`;

export const DEFAULT_PREFIX = 'jeeves:bull';
const WAITING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/** The JobQueue on Redis through BullMQ: durable, shared by every process on the same Redis. */
export function createBullmqQueue(options: BullmqQueueOptions): JobQueue {
  const { redisUrl, logger } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (isRedisClusterUrl(redisUrl) && !hasHashTag(prefix)) {
    throw new Error(`On a Redis Cluster the queue prefix must hold a hash tag, such as {jeeves}, so that the keys a BullMQ script touches together share a slot; "${prefix}" has none`);
  }
  const where = redactRedisUrl(redisUrl);
  const kept = retention(options.keepCompleted ?? DEFAULT_KEEP_COMPLETED, options.keepFailed ?? DEFAULT_KEEP_FAILED);
  const jobDefaults = defaultJobOptions(kept);
  // One fail-fast connection shared by every Queue object. The add batcher groups adds itself,
  // and each operation is bounded below (guarded), so its commands need no timer each.
  const operationTimeoutMs = options.operationTimeoutMs ?? 5000;
  const producer = createRedisConnection(redisUrl, { logger, connectionName: `${prefix}:producer`, autoPipelining: false, commandTimeoutMs: 0 });
  const queues = new Map<string, Queue>();
  const workers: BullmqWorker[] = [];
  let closing: Promise<void> | undefined;

  const unavailable = (err: unknown) =>
    new UnavailableError('QUEUE.UNAVAILABLE', `The job queue (Redis at ${where}) is unavailable: ${errorMessage(err)}`, err);
  const assertOpen = () => {
    if (closing) throw new Error('The job queue is closed');
  };
  const connected = async () => {
    assertOpen();
    if (producer.status !== 'ready') await whenRedisReady(producer, options.connectWaitMs ?? 2000).catch((err: unknown) => Promise.reject(unavailable(err)));
  };
  const queueFor = (name: string): Queue => {
    const cached = queues.get(name);
    if (cached) return cached;
    const queue = new Queue(name, { connection: producer, prefix, defaultJobOptions: jobDefaults });
    queue.on('error', (err) => logger.warn({ err: errorMessage(err), queue: name }, 'queue error'));
    queues.set(name, queue);
    // A Queue whose first handshake failed stays broken for good: the next call builds another.
    queue.waitUntilReady().catch(() => {
      if (queues.get(name) === queue) queues.delete(name);
      void queue.close().catch(() => undefined);
    });
    return queue;
  };
  // Errors of a Redis we cannot reach become UnavailableError (503); others pass unchanged.
  const guarded = async <R>(fn: () => Promise<R>): Promise<R> => {
    try {
      return await bounded(fn(), operationTimeoutMs, timedOut(operationTimeoutMs));
    } catch (err) {
      throw producer.status === 'ready' && !/timed out|Connection is closed|writeable/i.test(errorMessage(err)) ? err : unavailable(err);
    }
  };
  const call = async <R>(fn: () => Promise<R>): Promise<R> => {
    await connected();
    return guarded(fn);
  };

  // Adds issued in the same turn of the event loop are written together: one Queue.add per job,
  // their commands held in the corked socket and sent as one write. Not addBulk: its ioredis
  // pipeline makes garbage that lengthens the ack's tail (bench/README.md). Each job runs its own
  // add script (deduplication included), so two adds of one key in one batch dedupe as they
  // would apart, and a failed add fails the whole batch.
  // Not call(): add() checked the connection, and close() drains batches already accepted.
  const writeBatch = async (queue: string, jobs: BatchedJob<JobsOptions>[]): Promise<string[]> => {
    const target = queueFor(queue);
    if (jobs.length > 1) corkForThisTurn(producer);
    const added = await Promise.all(jobs.map(({ name, data, opts }) => target.add(name, data, opts)));
    return added.map((job) => job.id!);
  };
  const batcher = createAddBatcher<JobsOptions>((queue, jobs) => guarded(() => writeBatch(queue, jobs)));

  return {
    backend: 'bullmq',
    async add(queue, name, data, opts = {}) {
      await connected();
      // Resolves only once the batch is written: callers ack nothing that is not durable.
      return batcher.add(queue, { name, data, opts: toJobsOptions(opts) });
    },
    async remove(queue, jobId) {
      await call(async () => {
        const job = await queueFor(queue).getJob(jobId);
        if (job && WAITING_STATES.has(await job.getState())) await queueFor(queue).remove(jobId);
      });
    },
    async upsertSchedule(queue, scheduleId, spec, job) {
      validateSchedule(spec);
      const opts = { attempts: jobDefaults.attempts, backoff: jobDefaults.backoff, ...kept };
      await call(() => queueFor(queue).upsertJobScheduler(scheduleId, toRepeatOptions(spec), { name: job.name, data: job.data, opts }));
    },
    async removeSchedule(queue, scheduleId) {
      await call(() => queueFor(queue).removeJobScheduler(scheduleId));
    },
    work<T>(queue: string, handler: JobHandler<T>, opts: WorkOptions = {}) {
      assertOpen();
      const worker = createBullmqWorker({
        queue,
        handler,
        concurrency: Math.max(1, opts.concurrency ?? 1),
        inContext: opts.inContext ?? true,
        redisUrl,
        prefix,
        logger,
        kept,
        ...(options.lockDurationMs === undefined ? {} : { lockDurationMs: options.lockDurationMs }),
        ...(options.stalledIntervalMs === undefined ? {} : { stalledIntervalMs: options.stalledIntervalMs }),
        ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
      });
      workers.push(worker);
    },
    async counts(queue) {
      const c = await call(() => queueFor(queue).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'));
      return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
    },
    async activity(queue) {
      const now = Date.now();
      const minute = Math.floor(now / MINUTE_MS);
      const [thisMinute, minuteBefore, [oldest]] = await call(() =>
        Promise.all([producer.get(completionsKey(prefix, queue, minute)), producer.get(completionsKey(prefix, queue, minute - 1)), queueFor(queue).getJobs(['wait'], 0, 0, true)]),
      );
      return {
        completedLastMinute: completedInLastMinute(Number(thisMinute ?? 0), Number(minuteBefore ?? 0), now),
        oldestWaitingSince: oldest ? new Date(oldest.timestamp + (oldest.opts.delay ?? 0)) : null,
      };
    },
    async failed(queue, limit = 50) {
      const jobs = await call(() => queueFor(queue).getFailed(0, Math.max(0, limit - 1)));
      return jobs.filter(Boolean).map(toFailedJob);
    },
    async ping() {
      assertOpen();
      try {
        await whenRedisReady(producer, options.connectWaitMs ?? 2000);
        await bounded(producer.ping(), operationTimeoutMs, timedOut(operationTimeoutMs));
      } catch (err) {
        throw unavailable(err);
      }
    },
    close(graceMs = DEFAULT_CLOSE_GRACE_MS) {
      closing ??= (async () => {
        await Promise.all(workers.map((worker) => worker.close(graceMs)));
        // Adds already accepted are written before the connection goes.
        await within(batcher.drain(), TEARDOWN_MS);
        await within(Promise.allSettled([...queues.values()].map((q) => q.close())), TEARDOWN_MS);
        await within(producer.quit(), TEARDOWN_MS);
        producer.disconnect();
      })();
      return closing;
    },
  };
}

function toFailedJob(job: Job): FailedJob {
  return {
    id: job.id ?? '',
    name: job.name,
    data: job.data as unknown,
    reason: job.failedReason,
    attemptsMade: job.attemptsMade,
    failedAt: new Date(job.finishedOn ?? job.processedOn ?? job.timestamp),
  };
}
