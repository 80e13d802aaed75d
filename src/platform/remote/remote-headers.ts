import { currentContext, newRequestId } from '../context';
import type { ServiceTokenProvider } from '../service-auth/service-token.provider';
import { scopedAuthorization } from './token-scope';
import { childTraceparent } from './traceparent';

export interface RemoteHeadersOptions {
  /** The caching provider of service JWTs for the target service; without one no Authorization is sent. */
  tokenProvider?: ServiceTokenProvider;
}

/**
 * The `headers` function the modules' HTTP clients take: a service JWT, the request id of the
 * current context, and a traceparent continuing the caller's trace. Asked before every call, so
 * a refreshed token and the current request's ids are always the ones sent.
 */
export function remoteHeaders({ tokenProvider }: RemoteHeadersOptions = {}): () => Promise<Record<string, string>> {
  return async () => {
    const context = currentContext();
    const headers: Record<string, string> = {
      // Outside any request (a script, a timer) a fresh id still ties the two sides' logs together.
      'x-request-id': context?.requestId ?? newRequestId(),
      traceparent: childTraceparent(context?.traceparent),
    };
    if (tokenProvider) {
      // Inside the switch, the token its 401 retry will judge; called directly, the provider's current one.
      headers.authorization = scopedAuthorization(tokenProvider) ?? (await tokenProvider.headers()).authorization;
    }
    return headers;
  };
}
