import type { Logger } from '../logger';
import { systemClock, type Clock } from './clock';
import { errorMessage, failureOutcome, retryDelay, runJob } from './job-runner';
import { createMemorySchedules } from './memory-schedules';
import { createQueueState, decode, encode, type Consumer, type MemoryJob, type QueueState } from './memory-queue-state';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CLOSE_GRACE_MS,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  DEFAULT_KEEP_COMPLETED,
  DEFAULT_KEEP_FAILED,
  type JobHandler,
  type JobInfo,
  type JobOptions,
  type JobQueue,
  type WorkOptions,
} from './queue';

export interface MemoryQueueOptions {
  logger: Logger;
  /** Time for delays, backoffs, idempotency expiry and schedules (a fake one in tests). */
  clock?: Clock;
  /** Jitter source for backoffs. */
  random?: () => number;
  /** How many completed jobs `counts` remembers, as BullMQ's removeOnComplete count. */
  keepCompleted?: number;
  /** How many failed jobs `failed` keeps, newest first, as BullMQ's removeOnFail count. */
  keepFailed?: number;
}

/**
 * The in-process queue used when REDIS_URL is unset: the semantics of the BullMQ backend
 * (at-least-once, retries with backoff, delays, idempotency keys, schedules) without its
 * durability: what is queued lives as long as the process.
 */
export function createMemoryQueue(options: MemoryQueueOptions): JobQueue {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const keepCompleted = options.keepCompleted ?? DEFAULT_KEEP_COMPLETED;
  const keepFailed = options.keepFailed ?? DEFAULT_KEEP_FAILED;
  const queues = new Map<string, QueueState>();
  const inFlight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  const stateOf = (name: string): QueueState => {
    let state = queues.get(name);
    if (!state) queues.set(name, (state = createQueueState(name, clock)));
    return state;
  };
  const assertOpen = () => {
    if (closing) throw new Error('The job queue is closed');
  };

  const enqueue = (state: QueueState, job: MemoryJob, delayMs: number) => {
    state.pending.set(job.id, job);
    if (delayMs > 0) state.delay(job, delayMs, () => requestPump(state));
    else {
      job.waitingSince = clock.now();
      state.waiting.push(job);
      requestPump(state);
    }
  };

  const addJob = (state: QueueState, name: string, payload: string | undefined, opts: JobOptions): string => {
    const job: MemoryJob = {
      id: String(++state.sequence),
      name,
      payload,
      attempts: Math.max(1, opts.attempts ?? DEFAULT_ATTEMPTS),
      backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
      attemptsMade: 0,
      ...(opts.idempotencyKey === undefined ? {} : { idempotencyKey: opts.idempotencyKey }),
      ...(opts.forgetWhenCompleted === true ? { forgetWhenCompleted: true } : {}),
    };
    if (opts.idempotencyKey !== undefined) {
      state.rememberKey(opts.idempotencyKey, job.id, opts.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
    }
    enqueue(state, job, opts.delayMs ?? 0);
    return job.id;
  };

  // Jobs start from a fresh macrotask, never inside add(): as with BullMQ, add resolves first.
  const requestPump = (state: QueueState) => {
    if (state.pumpRequested || closing) return;
    state.pumpRequested = true;
    setImmediate(() => {
      state.pumpRequested = false;
      while (!closing && state.waiting.length > 0) {
        const consumer = state.consumers.find((c) => c.running < c.concurrency);
        if (!consumer) return;
        const job = state.waiting.shift()!;
        state.pending.delete(job.id);
        start(state, consumer, job);
      }
    });
  };

  const start = (state: QueueState, consumer: Consumer, job: MemoryJob) => {
    consumer.running++;
    state.active++;
    // In-process, a try ends with its process: every try that started here also ended, so none is unknown.
    const info: JobInfo = {
      id: job.id,
      queue: state.name,
      name: job.name,
      data: decode(job.payload),
      attemptsMade: job.attemptsMade,
      attemptsStarted: job.attemptsMade + 1,
      attempts: job.attempts,
      ...(job.lastError === undefined ? {} : { lastError: job.lastError }),
    };
    const settle = (err?: unknown, failed = false) => {
      consumer.running--;
      state.active--;
      if (failed) fail(state, job, err);
      else {
        state.completedLastMinute.add();
        if (!job.forgetWhenCompleted) state.completed = Math.min(state.completed + 1, keepCompleted);
      }
      requestPump(state);
    };
    const run = runJob(logger, info, consumer.handler, consumer.inContext).then(
      () => settle(),
      (err: unknown) => settle(err, true),
    );
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  };

  const fail = (state: QueueState, job: MemoryJob, err: unknown) => {
    const outcome = failureOutcome(err, job);
    job.attemptsMade++;
    job.lastError = errorMessage(err);
    if (outcome === 'retried') {
      if (!closing) enqueue(state, job, retryDelay(err, job.attemptsMade, job.backoffMs, options.random));
      return;
    }
    const reason = errorMessage(err);
    state.failed.unshift({ id: job.id, name: job.name, payload: job.payload, reason, attemptsMade: job.attemptsMade, failedAt: clock.now() });
    if (state.failed.length > keepFailed) state.failed.length = keepFailed;
  };

  const schedules = createMemorySchedules({
    clock,
    isClosed: () => closing !== undefined,
    add: (queue, name, payload) => addJob(stateOf(queue), name, payload, {}),
    isPending: (queue, jobId) => stateOf(queue).pending.has(jobId),
    remove: (queue, jobId) => stateOf(queue).remove(jobId),
  });

  return {
    backend: 'memory',
    async add<T>(queue: string, name: string, data: T, opts: JobOptions = {}) {
      assertOpen();
      const state = stateOf(queue);
      const known = opts.idempotencyKey === undefined ? undefined : state.knownKey(opts.idempotencyKey);
      return known ?? addJob(state, name, encode(data), opts);
    },
    async remove(queue, jobId) {
      stateOf(queue).remove(jobId);
    },
    async upsertSchedule(queue, scheduleId, spec, job) {
      assertOpen();
      schedules.upsert(queue, scheduleId, spec, job.name, encode(job.data));
    },
    async removeSchedule(queue, scheduleId) {
      schedules.remove(queue, scheduleId);
    },
    work<T>(queue: string, handler: JobHandler<T>, opts: WorkOptions = {}) {
      assertOpen();
      const state = stateOf(queue);
      // The queue stores no types: the caller's T is the contract between add and work.
      state.consumers.push({ handler: handler as JobHandler<unknown>, concurrency: Math.max(1, opts.concurrency ?? 1), inContext: opts.inContext ?? true, running: 0 });
      requestPump(state);
    },
    async counts(queue) {
      const state = stateOf(queue);
      return { waiting: state.waiting.length, active: state.active, delayed: state.delayedCount, completed: state.completed, failed: state.failed.length };
    },
    async activity(queue) {
      const state = stateOf(queue);
      const oldest = state.waiting[0]?.waitingSince;
      return { completedLastMinute: state.completedLastMinute.total(), oldestWaitingSince: oldest === undefined ? null : new Date(oldest) };
    },
    async failed(queue, limit = 50) {
      return stateOf(queue)
        .failed.slice(0, limit)
        .map((f) => ({ id: f.id, name: f.name, data: decode(f.payload), reason: f.reason, attemptsMade: f.attemptsMade, failedAt: new Date(f.failedAt) }));
    },
    async ping() {
      if (closing) throw new Error('The in-process job queue is closed');
    },
    close(graceMs = DEFAULT_CLOSE_GRACE_MS) {
      closing ??= (async () => {
        schedules.stopAll();
        for (const state of queues.values()) state.stopTimers();
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
        const result = await Promise.race([Promise.allSettled([...inFlight]), graceOver]);
        clearTimeout(timer);
        if (result === 'timeout') logger.warn({ abandoned: inFlight.size, graceMs }, 'job queue closed with jobs still running');
      })();
      return closing;
    },
  };
}
