import { setTimeout as sleep } from 'node:timers/promises';
import type { RetryOptions } from './remote.types';

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 3, baseMs: 50, maxMs: 1000 };

/**
 * Full jitter (AWS's "Exponential Backoff and Jitter"): a random wait below an exponentially
 * growing ceiling, so callers that failed together do not retry together.
 */
export function backoffDelay(retry: number, { baseMs, maxMs }: Required<RetryOptions>, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

export interface RetryLoop {
  options: Required<RetryOptions>;
  /** Whether another attempt may follow this failure. */
  shouldRetry: (err: unknown) => boolean;
  random?: () => number;
}

/** Runs `attempt` until it succeeds, a failure may not be retried, or the attempts run out. */
export async function withRetry<R>(attempt: () => Promise<R>, { options, shouldRetry, random }: RetryLoop): Promise<R> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= options.attempts || !shouldRetry(err)) throw err;
      await sleep(backoffDelay(n, options, random));
    }
  }
}
