import { systemClock, type Clock, type ServiceToken, type TokenSource } from './service-auth.types';
import { createHttpTokenSource, type HttpTokenSourceOptions } from './token-sources';

export interface ServiceTokenProvider {
  /** The Authorization header for the next call: the cached token, or a fresh one. */
  headers(): Promise<{ authorization: string }>;
  /**
   * Drops the cached token so the next call fetches a new one. Given the header value that
   * was refused, it drops the cache only if that token is still the cached one, so many
   * concurrent 401s cause one refresh, not many.
   */
  invalidate(rejectedAuthorization?: string): void;
}

export type ServiceTokenProviderOptions = ({ source: TokenSource } | HttpTokenSourceOptions) & {
  /** The service the tokens are for (`aud`). */
  audience: string;
  clock?: Clock;
  /** Refresh this long before expiry at most; short tokens refresh at 10% of their life. */
  maxRefreshMarginSeconds?: number;
};

interface Cached {
  authorization: string;
  refreshAt: number;
}

/** How long before expiry a token is replaced: 10% of its life, at most the margin. */
function refreshMarginMs(token: ServiceToken, maxMarginSeconds: number): number {
  return Math.min(maxMarginSeconds * 1000, token.expiresIn * 1000 * 0.1);
}

/**
 * Caches one service token per audience until shortly before it expires. Concurrent callers
 * share one in-flight request (single flight); a failed request is not cached, so the next
 * call tries again.
 */
export function createServiceTokenProvider(options: ServiceTokenProviderOptions): ServiceTokenProvider {
  const source = 'source' in options ? options.source : createHttpTokenSource(options);
  const { audience, clock = systemClock, maxRefreshMarginSeconds = 30 } = options;
  let cached: Cached | undefined;
  let inFlight: Promise<Cached> | undefined;

  async function refresh(): Promise<Cached> {
    const requestedAt = clock();
    const token = await source.issue(audience);
    // Counted from when it was asked for, so time spent waiting for the answer is not forgotten.
    const expiresAt = requestedAt + token.expiresIn * 1000;
    const next = { authorization: `Bearer ${token.token}`, refreshAt: expiresAt - refreshMarginMs(token, maxRefreshMarginSeconds) };
    cached = next;
    return next;
  }

  return {
    async headers() {
      if (cached && clock() < cached.refreshAt) return { authorization: cached.authorization };
      inFlight ??= refresh().finally(() => {
        inFlight = undefined;
      });
      const fresh = await inFlight;
      return { authorization: fresh.authorization };
    },
    invalidate(rejectedAuthorization) {
      if (rejectedAuthorization === undefined || cached?.authorization === rejectedAuthorization) cached = undefined;
    },
  };
}
