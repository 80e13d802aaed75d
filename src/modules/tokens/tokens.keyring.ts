import type { CryptoKey } from 'jose';
import type { Clock } from '../../platform/service-auth';
import type { Logger } from '../../platform/logger';
import { generateSigningKey, importSigningKey, keyInfo, publicPart } from './tokens.keys';
import type { KeySealing } from './tokens.key-crypto';
import type { SigningKeyRecord, TokensStore } from './tokens.store';
import type { JsonWebKeySet, SigningKeyInfo } from './tokens.types';

/**
 * A process keeps the active key this long before asking the database again; another
 * process's rotation therefore reaches it within this time, and a retired key stays served
 * this much longer to cover tokens signed meanwhile.
 */
export const SIGNING_KEY_CACHE_MS = 30_000;
/** Room for clocks that disagree between issuer and verifiers. */
export const CLOCK_SKEW_MS = 60_000;

export interface ActiveSigningKey {
  kid: string;
  alg: string;
  key: CryptoKey;
}

export interface KeyringOptions {
  store: TokensStore;
  clock: Clock;
  tokenTtlSeconds: number;
  sealing: KeySealing;
  logger: Logger;
}

export interface Keyring {
  signingKey(): Promise<ActiveSigningKey>;
  ensureActiveKey(): Promise<SigningKeyInfo>;
  rotate(): Promise<SigningKeyInfo>;
  jwks(): Promise<JsonWebKeySet>;
}

export function createKeyring({ store, clock, tokenTtlSeconds, sealing, logger }: KeyringOptions): Keyring {
  let cached: { active: ActiveSigningKey; checkedAt: number } | undefined;
  // How long a retired key stays in the JWKS: the longest life of a token it may have signed.
  const overlapMs = tokenTtlSeconds * 1000 + SIGNING_KEY_CACHE_MS + CLOCK_SKEW_MS;

  async function newKey(now: number): Promise<SigningKeyRecord> {
    if (!sealing.keyring && sealing.secret === undefined) logger.warn('tokens: no keyring, the new private signing key is stored unencrypted');
    return generateSigningKey(new Date(now), sealing);
  }

  async function current(now: number): Promise<SigningKeyRecord> {
    const found = await store.findSigningKey(new Date(now));
    if (found) return found;
    const created = await store.insertKeyIfNoneSigns(await newKey(now), new Date(now));
    logger.info({ kid: created.kid }, 'tokens: signing key ready');
    return created;
  }

  return {
    async signingKey() {
      const now = clock();
      if (cached && now - cached.checkedAt < SIGNING_KEY_CACHE_MS) return cached.active;
      const record = await current(now);
      // Opening a sealed key costs (a scrypt for older ones): only when the key actually changed.
      const active = cached?.active.kid === record.kid ? cached.active : { kid: record.kid, alg: record.alg, key: await importSigningKey(record, sealing) };
      cached = { active, checkedAt: now };
      return active;
    },

    async ensureActiveKey() {
      const record = await current(clock());
      // Opening it now makes a wrong key-encryption secret fail at start, not at the first token.
      await importSigningKey(record, sealing);
      return keyInfo(record);
    },

    async rotate() {
      const now = clock();
      const next = await newKey(now);
      await store.rotate(next, new Date(now), new Date(now + overlapMs));
      cached = undefined;
      const deleted = await store.deleteExpiredKeys(new Date(now));
      logger.info({ kid: next.kid, deletedExpiredKeys: deleted }, 'tokens: signing keys rotated');
      return keyInfo(next);
    },

    async jwks() {
      const keys = await store.listServedKeys(new Date(clock()));
      return { keys: keys.map((k) => publicPart(k.publicJwk)) };
    },
  };
}
