import type { RedisClient } from '../../platform/redis';
import type { DeliveryLimiter } from './slack.delivery';
import type { OutgoingSlackMessage } from './slack.types';

/**
 * Slack allows about one chat.postMessage per second per channel. The limiter hands out one
 * slot per workspace+channel per interval; a message that finds its slot taken is told how
 * long to wait, and delivery turns that into a RetryAfterError. With Redis the slot is shared
 * by every worker (SET NX PX); without, it is per process.
 */
export interface SlackRateLimiterOptions {
  /** Off: every message goes at once (benchmarks). Default on. */
  enabled?: boolean;
  /** Shared slots across workers; in-memory when absent. */
  redis?: RedisClient;
  /** Default 1000 ms: one message per second per channel. */
  intervalMs?: number;
  /** Redis key prefix. */
  prefix?: string;
  /**
   * Waits up to this long in the worker before handing the wait back as a RetryAfterError
   * (which spends one of the job's attempts): a short burst into one channel then costs no
   * attempts. Default 3000 ms; 0 returns every wait at once.
   */
  maxInlineWaitMs?: number;
  /**
   * How many messages of this process may wait inline at once (default 4). Each holds a worker
   * slot while it sleeps; past this many, a wait goes straight back as a RetryAfterError, so a
   * burst into one channel cannot take every slot from the other channels' messages.
   */
  maxInlineWaiters?: number;
  /** For the in-memory limiter's tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const noLimit: DeliveryLimiter = async () => 0;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Tries for a slot, sleeping between tries while the total stays within maxInlineWaitMs and a waiter place is free; else the wait left. */
function waitingInline(tryTake: DeliveryLimiter, maxInlineWaitMs: number, maxInlineWaiters: number, sleep: (ms: number) => Promise<void>): DeliveryLimiter {
  let waiters = 0;
  return async (message) => {
    let waited = 0;
    let holding = false;
    try {
      for (;;) {
        const wait = await tryTake(message);
        if (wait <= 0 || waited + wait > maxInlineWaitMs) return wait;
        if (!holding) {
          if (waiters >= maxInlineWaiters) return wait;
          waiters += 1;
          holding = true;
        }
        await sleep(wait);
        waited += wait;
      }
    } finally {
      if (holding) waiters -= 1;
    }
  };
}

export function createSlackRateLimiter(options: SlackRateLimiterOptions = {}): DeliveryLimiter {
  const { enabled = true, redis, intervalMs = 1000, prefix = 'jeeves:slack-rate:', maxInlineWaitMs = 3000, maxInlineWaiters = 4, now = Date.now, sleep = realSleep } = options;
  if (!enabled || intervalMs <= 0) return noLimit;
  const slotOf = (m: OutgoingSlackMessage) => `${m.teamId}:${m.channel}`;
  if (redis) {
    return waitingInline(async (message) => {
      const key = `${prefix}${slotOf(message)}`;
      const taken = await redis.set(key, '1', 'PX', intervalMs, 'NX');
      if (taken === 'OK') return 0;
      const ttl = await redis.pttl(key);
      // -2: expired between the two calls; -1 cannot happen (always set with PX). Either way a short wait.
      return ttl > 0 ? ttl : 1;
    }, maxInlineWaitMs, maxInlineWaiters, sleep);
  }
  const nextFree = new Map<string, number>();
  return waitingInline(async (message) => {
    const slot = slotOf(message);
    const t = now();
    const free = nextFree.get(slot) ?? 0;
    if (free > t) return free - t;
    nextFree.set(slot, t + intervalMs);
    // Keep the map bounded: forget slots long free.
    if (nextFree.size > 10_000) for (const [k, v] of nextFree) if (v <= t) nextFree.delete(k);
    return 0;
  }, maxInlineWaitMs, maxInlineWaiters, sleep);
}
