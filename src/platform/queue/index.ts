import { moduleLogger, type Logger } from '../logger';
import type { Metrics } from '../metrics';
import { createBullmqQueue } from './bullmq-queue';
import type { Clock } from './clock';
import { createMemoryQueue } from './memory-queue';
import type { JobQueue } from './queue';
import { instrumentJobQueue } from './queue-metrics';
import { traceJobQueue } from './queue-tracing';

export {
  backoffDelay,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CLOSE_GRACE_MS,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  PermanentJobError,
  RetryAfterError,
  type FailedJob,
  type JobHandler,
  type JobInfo,
  type JobOptions,
  type JobQueue,
  type QueueActivity,
  type QueueCounts,
  type ScheduleSpec,
  type WorkOptions,
} from './queue';
export { createBullmqQueue, DEFAULT_PREFIX, type BullmqQueueOptions } from './bullmq-queue';
export { createMemoryQueue, type MemoryQueueOptions } from './memory-queue';
export { createFakeClock, systemClock, type CancelTimer, type Clock, type FakeClock } from './clock';
export { instrumentJobQueue, registerQueueMetrics } from './queue-metrics';
export { traceJobQueue, TRACEPARENT_FIELD } from './queue-tracing';

export interface JobQueueOptions {
  /** BullMQ on this Redis when set; the in-process queue when not. */
  redisUrl?: string;
  /** BullMQ key prefix (default `jeeves:bull`). */
  prefix?: string;
  logger: Logger;
  /** When given, every handler passed to work() is counted and timed on its registry. */
  metrics?: Metrics;
  /** In-process queue only: the time it runs on. */
  clock?: Clock;
  /** BullMQ only: how soon a job of a dead worker is taken up again. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** The job queue for this process: the one place that picks the backend. */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const logger = moduleLogger(options.logger, 'queue');
  const queue = options.redisUrl
    ? createBullmqQueue({
        redisUrl: options.redisUrl,
        logger,
        ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
        ...(options.lockDurationMs === undefined ? {} : { lockDurationMs: options.lockDurationMs }),
        ...(options.stalledIntervalMs === undefined ? {} : { stalledIntervalMs: options.stalledIntervalMs }),
      })
    : createMemoryQueue({ logger, ...(options.clock ? { clock: options.clock } : {}) });
  // A try's span encloses its counting and timing.
  const traced = traceJobQueue(queue);
  return options.metrics ? instrumentJobQueue(traced, options.metrics) : traced;
}
