import { createRollingCount } from '../rolling-count';
import type { CancelTimer, Clock } from './clock';
import type { JobHandler } from './queue';

/** One job of the in-process queue, between add and its end (completed or failed). */
export interface MemoryJob {
  id: string;
  name: string;
  /** The data as JSON: each try reads a fresh copy, as a BullMQ worker reads it from Redis. */
  payload: string | undefined;
  attempts: number;
  backoffMs: number;
  attemptsMade: number;
  lastError?: string;
  idempotencyKey?: string;
  forgetWhenCompleted?: boolean;
  cancelDelay?: CancelTimer;
  /** When it last joined the waiting line (clock ms). */
  waitingSince?: number;
}

export interface Consumer {
  handler: JobHandler<unknown>;
  concurrency: number;
  inContext: boolean;
  running: number;
}

export interface FailedEntry {
  id: string;
  name: string;
  payload: string | undefined;
  reason: string;
  attemptsMade: number;
  failedAt: number;
}

/** Data travels as JSON on both backends, so a Date arrives as a string here as with BullMQ. */
export function encode(data: unknown): string | undefined {
  return JSON.stringify(data);
}

export function decode(payload: string | undefined): unknown {
  return payload === undefined ? undefined : JSON.parse(payload);
}

export type QueueState = ReturnType<typeof createQueueState>;

/** The bookkeeping of one named queue: who waits, who is delayed, what was seen. */
export function createQueueState(name: string, clock: Clock) {
  // Insertion order is expiry order for one TTL, so expired keys are trimmed from the front.
  const keys = new Map<string, { id: string; expiresAt: number }>();
  const delayed = new Set<MemoryJob>();

  const state = {
    name,
    sequence: 0,
    waiting: [] as MemoryJob[],
    /** Waiting or delayed jobs by id: the ones remove() may still cancel. */
    pending: new Map<string, MemoryJob>(),
    consumers: [] as Consumer[],
    active: 0,
    completed: 0,
    /** Completions of the last minute, forgotten jobs included. */
    completedLastMinute: createRollingCount({ now: () => clock.now() }),
    failed: [] as FailedEntry[],
    pumpRequested: false,
    get delayedCount() {
      return delayed.size;
    },

    delay(job: MemoryJob, delayMs: number, onDue: () => void): void {
      delayed.add(job);
      job.cancelDelay = clock.schedule(() => {
        delayed.delete(job);
        delete job.cancelDelay;
        job.waitingSince = clock.now();
        state.waiting.push(job);
        onDue();
      }, delayMs);
    },

    knownKey(key: string): string | undefined {
      const now = clock.now();
      for (const [k, entry] of keys) {
        if (entry.expiresAt > now) break;
        keys.delete(k);
      }
      const entry = keys.get(key);
      return entry && entry.expiresAt > now ? entry.id : undefined;
    },

    rememberKey(key: string, id: string, ttlMs: number): void {
      keys.delete(key);
      keys.set(key, { id, expiresAt: clock.now() + ttlMs });
    },

    /** Cancels a waiting or delayed job and frees its idempotency key, as BullMQ's remove does. */
    remove(jobId: string): void {
      const job = state.pending.get(jobId);
      if (!job) return;
      state.pending.delete(jobId);
      if (job.cancelDelay) {
        job.cancelDelay();
        delete job.cancelDelay;
        delayed.delete(job);
      } else {
        const at = state.waiting.indexOf(job);
        if (at >= 0) state.waiting.splice(at, 1);
      }
      if (job.idempotencyKey !== undefined && keys.get(job.idempotencyKey)?.id === jobId) keys.delete(job.idempotencyKey);
    },

    stopTimers(): void {
      for (const job of delayed) job.cancelDelay?.();
    },
  };
  return state;
}
