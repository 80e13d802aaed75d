/**
 * The job queue every slow or fallible piece of work goes through. Two backends implement it
 * (BullMQ on Redis, and an in-process one) with the same semantics, proven by one conformance
 * suite: at-least-once delivery, retries with exponential backoff, delayed jobs, idempotency
 * keys, schedules, and a graceful close that lets in-flight jobs finish.
 */

export interface JobOptions {
  /** A second add with the same key, while the first is remembered, is a no-op. */
  idempotencyKey?: string;
  /** How long an idempotency key is remembered (default 24 h). */
  idempotencyTtlMs?: number;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Total tries, the first included (default 5). */
  attempts?: number;
  /** Base of the exponential backoff between tries (default 1000 ms), with jitter. */
  backoffMs?: number;
  /**
   * The job leaves the queue as soon as it completes, instead of staying among the last
   * completed ones that counts() counts: for jobs whose completion the queue need not keep (a
   * delivered message is in Slack, its log line and the processed counter). Its idempotency key
   * is remembered for its ttl all the same; failed jobs are kept either way.
   */
  forgetWhenCompleted?: boolean;
}

export interface JobInfo<T = unknown> {
  id: string;
  queue: string;
  name: string;
  data: T;
  /** Tries that ended with an error before this one: 0 on the first run. */
  attemptsMade: number;
  /**
   * Tries started, this one included. More than attemptsMade + 1 when an earlier try never
   * ended: its worker died mid-job, and what that try did is unknown.
   */
  attemptsStarted: number;
  /** Total tries this job may have. */
  attempts: number;
  /** The message of the error the last failed try ended with; undefined before any failure. */
  lastError?: string;
}

export type JobHandler<T = unknown> = (job: JobInfo<T>) => Promise<void>;

/** Thrown by a handler: the job fails at once, no retry (e.g. Slack's channel_not_found). */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** Thrown by a handler: retry, but not before this delay (e.g. Slack's 429 Retry-After). */
export class RetryAfterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryAfterError';
  }
}

export type ScheduleSpec = { pattern: string; tz?: string } | { everyMs: number };

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

/** A queue's recent throughput and its longest wait, for the dashboard. */
export interface QueueActivity {
  /**
   * Jobs completed in the last minute. BullMQ: every worker of the deployment, estimated from
   * BullMQ's per-minute counts (this minute so far plus the share of the last one still inside
   * the window). In-process: this process's, counted exactly.
   */
  completedLastMinute: number;
  /** When the oldest job still waiting began to wait (added, or its delay ended); null when none waits. */
  oldestWaitingSince: Date | null;
}

export interface FailedJob {
  id: string;
  name: string;
  data: unknown;
  reason: string;
  attemptsMade: number;
  failedAt: Date;
}

export interface WorkOptions {
  concurrency?: number;
  /**
   * Whether each try runs in a request context named after the job (`job:<queue>:<id>`, default
   * true): log lines carry it as their request id, flags and calls to other services read it.
   * False for jobs that read nothing from it and log their own fields: a try then opens no
   * context (on BullMQ it runs in none; in-process, in that of whatever added it). On Node 20 a
   * context switches on AsyncLocalStorage's promise hooks for the whole process, for good: a
   * worker whose jobs all run without one pays no hook on any promise (bench/README.md).
   */
  inContext?: boolean;
}

export interface JobQueue {
  readonly backend: 'bullmq' | 'memory';
  /** Adds a job; resolves once it is durably accepted. Returns the job id. */
  add<T>(queue: string, name: string, data: T, options?: JobOptions): Promise<string>;
  /** Removes a waiting or delayed job; no-op when it has run or does not exist. */
  remove(queue: string, jobId: string): Promise<void>;
  /** Creates or replaces a recurring schedule that adds `job` on each tick. */
  upsertSchedule<T>(queue: string, scheduleId: string, spec: ScheduleSpec, job: { name: string; data: T }): Promise<void>;
  removeSchedule(queue: string, scheduleId: string): Promise<void>;
  /** Starts consuming a queue in this process. */
  work<T>(queue: string, handler: JobHandler<T>, options?: WorkOptions): void;
  counts(queue: string): Promise<QueueCounts>;
  activity(queue: string): Promise<QueueActivity>;
  failed(queue: string, limit?: number): Promise<FailedJob[]>;
  /** Resolves when the backend is usable; rejects with why not. */
  ping(): Promise<void>;
  /** Stops taking jobs, lets in-flight ones finish (up to graceMs), then releases connections. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Completed jobs remembered for counts, and failed jobs kept for `failed` (dead letters). */
export const DEFAULT_KEEP_COMPLETED = 1000;
export const DEFAULT_KEEP_FAILED = 5000;
/** How long close() lets in-flight jobs finish before giving up on them. */
export const DEFAULT_CLOSE_GRACE_MS = 10_000;

/** Exponential backoff with full jitter, capped; the same curve for both backends. */
export function backoffDelay(attemptsMade: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
