import { LRUCache } from 'lru-cache';
import type { Clock, ServiceCaller } from './service-auth.types';

/**
 * Tokens that verified, so a caller's next calls with the same token skip the ES256 verify
 * (bench/README.md). Keyed by the whole compact token, signature included: a token that
 * differs in one byte, or names another kid, is a miss and goes through full verification.
 * Only successes are stored.
 */
export interface VerifiedTokenCache {
  get(token: string): ServiceCaller | undefined;
  set(token: string, caller: ServiceCaller): void;
}

export interface VerifiedTokenCacheOptions {
  clock: Clock;
  /** The verifier's leeway on `exp`, in seconds: a cached token lives exactly as long as jose would accept it. */
  clockToleranceSeconds: number;
  /**
   * Longest a token is trusted without a fresh look at the keys. Bounded by the key set's own
   * cache age, so a key withdrawn from the JWKS is not honoured longer through this cache than
   * through jose's.
   */
  maxAgeMs: number;
  /** Distinct live tokens kept; each caller holds one per audience, so this is generous. */
  max?: number;
}

interface Entry {
  caller: ServiceCaller;
  /** Clock ms from which the entry no longer counts. */
  until: number;
}

export function createVerifiedTokenCache({ clock, clockToleranceSeconds, maxAgeMs, max = 1000 }: VerifiedTokenCacheOptions): VerifiedTokenCache {
  // Expiry is checked here against the verifier's clock (tests move it), not by lru-cache's own timer.
  const entries = new LRUCache<string, Entry>({ max });
  return {
    get(token) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (clock() < entry.until) return entry.caller;
      entries.delete(token);
      return undefined;
    },
    set(token, caller) {
      const now = clock();
      // jose refuses once exp <= floor(now / 1000) - tolerance; for the integer exp of our tokens that is
      // now >= (exp + tolerance) * 1000, and for any other exp this bound comes earlier, never later.
      const expires = (caller.expiresAt + clockToleranceSeconds) * 1000;
      const until = Math.min(expires, now + maxAgeMs);
      if (until > now) entries.set(token, { caller: Object.freeze({ ...caller }), until });
    },
  };
}
