import type { ServiceTokenProvider } from './service-token.provider';

/** A 401 from a service means the token was refused: the AppError from the HTTP client carries it. */
function isUnauthorized(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 401;
}

/**
 * Runs a call with a service token; on 401 drops the token and tries once more with a fresh
 * one (the key may have rotated, or the token expired in flight). A second 401 is the answer.
 */
export async function withTokenRetry<T>(provider: ServiceTokenProvider, call: (headers: { authorization: string }) => Promise<T>): Promise<T> {
  const headers = await provider.headers();
  try {
    return await call(headers);
  } catch (err) {
    if (!isUnauthorized(err)) throw err;
    provider.invalidate(headers.authorization);
    return call(await provider.headers());
  }
}
