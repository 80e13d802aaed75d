import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { systemClock, type Clock } from './service-auth.types';

/**
 * Where a service finds the keys that sign service tokens: the issuer's JWKS URL, or a
 * function returning the JWKS (the tokens module in the same process). Either way the set is
 * cached, refetched when a token names a key it does not hold (rotation), at most once per
 * cooldown so random `kid`s cannot hammer the issuer.
 */
export type VerificationKeys =
  | { jwksUrl: string; cacheMaxAgeMs?: number; cooldownMs?: number; timeoutMs?: number }
  | { jwks: () => Promise<JSONWebKeySet>; cacheMaxAgeMs?: number; cooldownMs?: number };

const DEFAULT_CACHE_MAX_AGE_MS = 10 * 60_000;
const DEFAULT_COOLDOWN_MS = 30_000;

/** How long a fetched key set is trusted: nothing verified with it may be trusted longer. */
export function keySetMaxAgeMs(keys: VerificationKeys): number {
  return keys.cacheMaxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS;
}

/** jose's remote set with the same cache rules, for a JWKS that comes from a function. */
function createCachedLocalJWKSet(
  load: () => Promise<JSONWebKeySet>,
  { cacheMaxAgeMs, cooldownMs, clock }: { cacheMaxAgeMs: number; cooldownMs: number; clock: Clock },
): JWTVerifyGetKey {
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;

  const reload = async () => {
    loading ??= load()
      .then((jwks) => {
        local = createLocalJWKSet(jwks);
        loadedAt = clock();
        return local;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  return async (header, token) => {
    const set = local && clock() - loadedAt < cacheMaxAgeMs ? local : await reload();
    try {
      return await set(header, token);
    } catch (err) {
      const unknownKid = (err as { code?: unknown }).code === 'ERR_JWKS_NO_MATCHING_KEY';
      if (!unknownKid || clock() - loadedAt < cooldownMs) throw err;
      return (await reload())(header, token);
    }
  };
}

export function createKeyResolver(keys: VerificationKeys, clock: Clock = systemClock): JWTVerifyGetKey {
  const cacheMaxAgeMs = keySetMaxAgeMs(keys);
  const cooldownMs = keys.cooldownMs ?? DEFAULT_COOLDOWN_MS;
  if ('jwksUrl' in keys) {
    // jose keeps its own wall-clock cache here: the remote set is for real servers, not fake time.
    return createRemoteJWKSet(new URL(keys.jwksUrl), {
      cacheMaxAge: cacheMaxAgeMs,
      cooldownDuration: cooldownMs,
      timeoutDuration: keys.timeoutMs ?? 5000,
    });
  }
  return createCachedLocalJWKSet(keys.jwks, { cacheMaxAgeMs, cooldownMs, clock });
}
