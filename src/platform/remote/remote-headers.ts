import type { ServiceTokenProvider } from '../service-auth/service-token.provider';
import { traceHeaders } from '../trace-headers';
import { scopedAuthorization } from './token-scope';

export interface RemoteHeadersOptions {
  /** The caching provider of service JWTs for the target service; without one no Authorization is sent. */
  tokenProvider?: ServiceTokenProvider;
}

/**
 * The `headers` function the modules' HTTP clients take: a service JWT and the trace headers
 * (traceHeaders(): the request id of the current context, a traceparent continuing the caller's
 * trace). Asked before every call, so a refreshed token and the current request's ids are always
 * the ones sent.
 */
export function remoteHeaders({ tokenProvider }: RemoteHeadersOptions = {}): () => Promise<Record<string, string>> {
  return async () => {
    const headers: Record<string, string> = traceHeaders();
    if (tokenProvider) {
      // Inside the switch, the token its 401 retry will judge; called directly, the provider's current one.
      headers.authorization = scopedAuthorization(tokenProvider) ?? (await tokenProvider.headers()).authorization;
    }
    return headers;
  };
}
