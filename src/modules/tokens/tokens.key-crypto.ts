import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import type { JWK } from 'jose';
import { SigningKeyUnreadableError } from './tokens.errors';
import type { Keyring as SealingKeyring } from '../../platform/crypto';
import type { PrivateKeyEncryption } from './tokens.store';

/**
 * Private signing keys at rest. New keys are sealed with the deployment's keyring
 * (TOKEN_ENCRYPTION_KEY: AES-256-GCM, key ids, rotation), the kid bound in as associated data
 * so a sealed key cannot be moved to another row. Keys sealed earlier under a key-encryption
 * secret (scrypt-derived), or stored as they are, still open.
 */
export interface SealedPrivateKey {
  privateJwk: string;
  privateKeyEncryption: PrivateKeyEncryption;
}

const VERSION = 'v1';

/** How private keys are sealed: the keyring when there is one, else the older secret (tests), else not at all. */
export interface KeySealing {
  keyring?: SealingKeyring | undefined;
  secret?: string | undefined;
}

const contextOf = (kid: string) => `tokens_signing_keys.private_jwk:${kid}`;

function encryptionKey(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, 32);
}

export function sealPrivateJwk(jwk: JWK, kid: string, { keyring, secret }: KeySealing): SealedPrivateKey {
  const plain = JSON.stringify(jwk);
  if (keyring) return { privateJwk: keyring.seal(plain, contextOf(kid)), privateKeyEncryption: 'keyring' };
  if (secret === undefined) return { privateJwk: plain, privateKeyEncryption: 'none' };
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret, salt), iv);
  cipher.setAAD(Buffer.from(kid));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [salt, iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
  return { privateJwk: [VERSION, ...parts].join('.'), privateKeyEncryption: 'aes-256-gcm' };
}

export function openPrivateJwk(sealed: SealedPrivateKey, kid: string, { keyring, secret }: KeySealing): JWK {
  if (sealed.privateKeyEncryption === 'none') return JSON.parse(sealed.privateJwk) as JWK;
  if (sealed.privateKeyEncryption === 'keyring') {
    if (!keyring) throw new SigningKeyUnreadableError(kid, 'it is sealed with TOKEN_ENCRYPTION_KEY and no keyring was given');
    try {
      return JSON.parse(keyring.open(sealed.privateJwk, contextOf(kid))) as JWK;
    } catch (err) {
      throw new SigningKeyUnreadableError(kid, 'no configured TOKEN_ENCRYPTION_KEY opens it, or it was altered', err);
    }
  }
  if (secret === undefined) throw new SigningKeyUnreadableError(kid, 'it is encrypted and no key-encryption secret was given');
  const [version, ...parts] = sealed.privateJwk.split('.');
  if (version !== VERSION || parts.length !== 4) throw new SigningKeyUnreadableError(kid, 'unknown sealed format');
  const [salt, iv, tag, ciphertext] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey(secret, salt), iv);
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as JWK;
  } catch (err) {
    throw new SigningKeyUnreadableError(kid, 'the key-encryption secret is wrong or the stored key was altered', err);
  }
}
