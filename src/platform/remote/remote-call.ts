// Not through service-auth's index: that pulls in jose (ESM-only), which every user of the switch would then load.
import type { ServiceTokenProvider } from '../service-auth/service-token.provider';
import { withTokenRetry } from '../service-auth/token-retry';
import type { ModuleBreaker } from './module-breaker';
import { classifyRemoteError, isBreakerOpen } from './remote-errors';
import type { RetryOptions } from './remote.types';
import { withRetry } from './retry-backoff';
import { withAuthorization } from './token-scope';

export interface RemoteCallerOptions {
  breaker: ModuleBreaker;
  retry: Required<RetryOptions>;
  tokenProvider?: ServiceTokenProvider;
  random?: () => number;
}

export interface RemoteCaller {
  /**
   * One remote call: each attempt through the breaker, with one fresh-token retry on 401
   * inside it; further attempts with backoff only when `retry` (the method is idempotent) and
   * the failure is retryable. Rejects with the last failure as it was, for the switch to judge.
   */
  call<R>(call: () => Promise<R>, options: { retry: boolean }): Promise<R>;
}

export function createRemoteCaller({ breaker, retry, tokenProvider, random }: RemoteCallerOptions): RemoteCaller {
  const authenticated = <R>(call: () => Promise<R>): Promise<R> =>
    tokenProvider ? withTokenRetry(tokenProvider, ({ authorization }) => withAuthorization(tokenProvider, authorization, call)) : call();

  const attempt = <R>(call: () => Promise<R>): Promise<R> => breaker.fire(() => authenticated(call));

  // An open breaker ends the retries at once: waiting out a backoff would not close it.
  const shouldRetry = (err: unknown) => !isBreakerOpen(err) && classifyRemoteError(err) === 'retryable';

  return {
    call(call, options) {
      if (!options.retry) return attempt(call);
      return withRetry(() => attempt(call), { options: retry, shouldRetry, ...(random ? { random } : {}) });
    },
  };
}
