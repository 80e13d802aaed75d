import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServiceTokenProvider } from '../service-auth/service-token.provider';

/**
 * The switch asks the token provider for the Authorization header (withTokenRetry needs to
 * know which token was refused) while the HTTP client asks remoteHeaders() for its headers.
 * This scope hands the first to the second for the duration of one remote attempt. It is keyed
 * by provider, so a call to another service (another audience) never picks up this token.
 */
interface Scoped {
  provider: ServiceTokenProvider;
  authorization: string;
}

const scope = new AsyncLocalStorage<Scoped>();

export function withAuthorization<R>(provider: ServiceTokenProvider, authorization: string, call: () => Promise<R>): Promise<R> {
  return scope.run({ provider, authorization }, call);
}

export function scopedAuthorization(provider: ServiceTokenProvider): string | undefined {
  const scoped = scope.getStore();
  return scoped?.provider === provider ? scoped.authorization : undefined;
}
