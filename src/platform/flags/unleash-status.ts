import type { Logger } from '../logger';

/** A failing Unleash is retried every refresh; say so in the log at most this often. */
const WARN_EVERY_MS = 60_000;

/** Duck-typed: unleash-client's errors may come from fetch internals of another realm. */
export function messageOf(err: unknown): string {
  const message = (err as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(err);
}

/**
 * Whether Unleash answers, for ping() and the log: one warning per distinct failure (then one
 * a minute while it lasts), one line when it answers again.
 */
export interface UnleashStatus {
  readonly failing: string | undefined;
  readonly authRefused: boolean;
  reachable(): void;
  trouble(message: string, stale: boolean): void;
}

export function createUnleashStatus(logger: Logger): UnleashStatus {
  let failing: string | undefined;
  let authRefused = false;
  let lastWarnAt = 0;
  return {
    get failing() {
      return failing;
    },
    get authRefused() {
      return authRefused;
    },
    reachable() {
      if (failing !== undefined) logger.info('Unleash answers again');
      failing = undefined;
    },
    trouble(message, stale) {
      // unleash-client stops polling for good after a 401/403 (see its polling fetcher).
      if (/responded 40[13]\b/.test(message)) authRefused = true;
      const now = Date.now();
      if (message !== failing || now - lastWarnAt >= WARN_EVERY_MS) {
        logger.warn({ error: message, stale }, 'cannot refresh flags from Unleash: keeping the last known flags');
        lastWarnAt = now;
      }
      failing = message;
    },
  };
}
