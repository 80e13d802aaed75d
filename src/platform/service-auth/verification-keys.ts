import { createLocalJWKSet, createRemoteJWKSet, customFetch, type FetchImplementation, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { deadlineIn, send } from '../http-transport';
import { systemClock, type Clock } from './service-auth.types';

/**
 * Where a service finds the keys that sign service tokens: the issuer's JWKS URL, several
 * (every place the issuer may answer: their keys together), or a function returning the JWKS
 * (the tokens module in the same process). Either way the set is cached, refetched when a
 * token names a key it does not hold (rotation), at most once per cooldown so random `kid`s
 * cannot hammer the issuer.
 */
export type VerificationKeys =
  | { jwksUrl: string; cacheMaxAgeMs?: number; cooldownMs?: number; timeoutMs?: number }
  | { jwksUrls: string[]; cacheMaxAgeMs?: number; cooldownMs?: number; timeoutMs?: number }
  | { jwks: () => Promise<JSONWebKeySet>; cacheMaxAgeMs?: number; cooldownMs?: number };

/** The key resolver and a check that keys can be had now (a service that cannot verify is not ready). */
export interface VerificationKeySet {
  getKey: JWTVerifyGetKey;
  /** Resolves when a non-empty key set is cached or can be fetched; rejects saying why not. */
  ready(): Promise<void>;
}

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
): VerificationKeySet {
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let keyCount = 0;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;

  const reload = async () => {
    loading ??= load()
      .then((jwks) => {
        local = createLocalJWKSet(jwks);
        keyCount = jwks.keys.length;
        loadedAt = clock();
        return local;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  const current = () => (local && clock() - loadedAt < cacheMaxAgeMs ? local : reload());
  return {
    async getKey(header, token) {
      const set = await current();
      try {
        return await set(header, token);
      } catch (err) {
        const unknownKid = (err as { code?: unknown }).code === 'ERR_JWKS_NO_MATCHING_KEY';
        if (!unknownKid || clock() - loadedAt < cooldownMs) throw err;
        return (await reload())(header, token);
      }
    },
    async ready() {
      await current();
      if (keyCount === 0) throw new Error('the key set holds no key');
    },
  };
}

export function createVerificationKeySet(keys: VerificationKeys, clock: Clock = systemClock): VerificationKeySet {
  const cacheMaxAgeMs = keySetMaxAgeMs(keys);
  const cooldownMs = keys.cooldownMs ?? DEFAULT_COOLDOWN_MS;
  if ('jwksUrl' in keys) {
    // jose keeps its own wall-clock cache here: the remote set is for real servers, not fake time.
    const remote = createRemoteJWKSet(new URL(keys.jwksUrl), {
      cacheMaxAge: cacheMaxAgeMs,
      cooldownDuration: cooldownMs,
      timeoutDuration: keys.timeoutMs ?? 5000,
      [customFetch]: jwksFetch(keys.timeoutMs ?? 5000),
    });
    return {
      getKey: remote,
      async ready() {
        if (!remote.fresh) await remote.reload().catch((err: unknown) => Promise.reject(new Error(`${keys.jwksUrl}: ${reasonOf(err)}`)));
        if (!remote.jwks()?.keys.length) throw new Error(`${keys.jwksUrl} holds no key`);
      },
    };
  }
  if ('jwksUrls' in keys) {
    const timeoutMs = keys.timeoutMs ?? 5000;
    return createCachedLocalJWKSet(() => fetchKeySets(keys.jwksUrls, timeoutMs), { cacheMaxAgeMs, cooldownMs, clock });
  }
  return createCachedLocalJWKSet(keys.jwks, { cacheMaxAgeMs, cooldownMs, clock });
}

export function createKeyResolver(keys: VerificationKeys, clock: Clock = systemClock): JWTVerifyGetKey {
  return createVerificationKeySet(keys, clock).getKey;
}

/** A failure's own words: its code (ECONNREFUSED and the like), which jose's errors keep in `cause`. */
function reasonOf(err: unknown): string {
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string' && !own.startsWith('ERR_JOSE') && !own.startsWith('ERR_JWKS')) return own;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * jose's remote set fetching over Jeeves' HTTP transport: the same deadline (jose's own signal
 * is not needed) and no redirect followed, answered as the fetch Response jose reads.
 */
function jwksFetch(timeoutMs: number): FetchImplementation {
  return async (url, options) => {
    const { status, text } = await send(new URL(url), { headers: Object.fromEntries(options.headers), deadline: deadlineIn(timeoutMs) });
    // jose reads the body of a 200 only.
    return new Response(status === 200 ? text : null, { status });
  };
}

async function fetchKeySet(url: string, timeoutMs: number): Promise<JSONWebKeySet> {
  const res = await send(new URL(url), { headers: { accept: 'application/json' }, deadline: deadlineIn(timeoutMs) });
  if (res.status < 200 || res.status > 299) throw new Error(`answered ${res.status}`);
  const body = JSON.parse(res.text) as { keys?: unknown };
  if (!Array.isArray(body.keys)) throw new Error('answered no JWKS');
  return body as JSONWebKeySet;
}

/**
 * The keys of every URL that answers, one per `kid` (two places on one database serve the same
 * keys); fails only when none answers, naming each URL and why.
 */
async function fetchKeySets(urls: string[], timeoutMs: number): Promise<JSONWebKeySet> {
  const results = await Promise.allSettled(urls.map((url) => fetchKeySet(url, timeoutMs)));
  const keys = new Map<string, JSONWebKeySet['keys'][number]>();
  const failures: string[] = [];
  results.forEach((result, i) => {
    if (result.status === 'rejected') failures.push(`${urls[i]}: ${reasonOf(result.reason)}`);
    else for (const key of result.value.keys) if (!keys.has(String(key.kid))) keys.set(String(key.kid), key);
  });
  if (failures.length === urls.length) throw new Error(`no key set could be fetched (${failures.join('; ')})`);
  return { keys: [...keys.values()] };
}
