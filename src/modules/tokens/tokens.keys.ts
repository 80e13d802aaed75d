import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { openPrivateJwk, sealPrivateJwk, type KeySealing } from './tokens.key-crypto';
import type { SigningKeyRecord } from './tokens.store';
import type { PublicJwk, SigningKeyInfo } from './tokens.types';

/** ES256: small keys and signatures, and every JOSE library verifies it. */
export const SIGNING_ALG = 'ES256';

/** A fresh key pair; its kid is the RFC 7638 thumbprint, so it names the key itself. */
export async function generateSigningKey(now: Date, sealing: KeySealing): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  const publicJwk: PublicJwk = { kty: pub.kty!, crv: pub.crv, x: pub.x, y: pub.y, kid, alg: SIGNING_ALG, use: 'sig' };
  const sealed = sealPrivateJwk({ ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG }, kid, sealing);
  return { kid, alg: SIGNING_ALG, publicJwk, ...sealed, createdAt: now, retireAfter: null, expiresAt: null };
}

export async function importSigningKey(record: SigningKeyRecord, sealing: KeySealing): Promise<CryptoKey> {
  // An EC JWK always imports as a CryptoKey (Uint8Array is for symmetric keys).
  return (await importJWK(openPrivateJwk(record, record.kid, sealing), record.alg)) as CryptoKey;
}

export function keyInfo(record: SigningKeyRecord): SigningKeyInfo {
  return {
    kid: record.kid,
    alg: record.alg,
    createdAt: record.createdAt.toISOString(),
    retireAfter: record.retireAfter?.toISOString() ?? null,
    expiresAt: record.expiresAt?.toISOString() ?? null,
  };
}

/** Only the public members, whatever the stored JSON holds: a private `d` must never be served. */
export function publicPart(jwk: PublicJwk): PublicJwk {
  const { kty, kid, alg, crv, x, y, n, e } = jwk;
  return Object.fromEntries(Object.entries({ kty, kid, alg, use: 'sig', crv, x, y, n, e }).filter(([, v]) => v !== undefined)) as unknown as PublicJwk;
}
