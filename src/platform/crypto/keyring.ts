import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors';

/**
 * Secrets at rest (workspace tokens, signing keys): AES-256-GCM under one of several keys. A
 * sealed value names the key that sealed it, so keys rotate: the first key seals, every key
 * opens, and a re-encryption moves old values to the first key. The caller's context (table,
 * column, row) is authenticated data, so a value copied to another row or column fails to open.
 *
 * Sealed format: `v1.<key id>.<iv>.<ciphertext><tag>`, base64url parts.
 */
export interface Keyring {
  /** The id of the key new values are sealed with. */
  readonly currentKeyId: string;
  /** Every key id this keyring opens, the current one first. */
  readonly keyIds: readonly string[];
  seal(plaintext: string, context: string): string;
  /** Throws SealedValueUnreadableError (CRYPTO.UNREADABLE) naming why. */
  open(sealed: string, context: string): string;
  /** The key id a sealed value names, or undefined when it is not in the sealed format. */
  keyIdOf(sealed: string): string | undefined;
}

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type UnreadableReason = 'unknown-key' | 'malformed' | 'tampered';

/** A stored secret that cannot be opened: a key is missing from the configuration, or the value was altered. */
export class SealedValueUnreadableError extends AppError {
  constructor(
    readonly reason: UnreadableReason,
    readonly keyId: string | undefined,
    message: string,
    cause?: unknown,
  ) {
    super('CRYPTO.UNREADABLE', message, 500, { cause });
  }
}

/** A key as configured: standard base64 of exactly 32 bytes (`openssl rand -base64 32`). */
export function decodeKey(encoded: string): Buffer | undefined {
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from skips what is not base64; a canonical round trip refuses typos and truncation.
  return key.length === KEY_BYTES && key.toString('base64') === encoded ? key : undefined;
}

export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** A short, stable name for a key that says nothing about the key itself. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('jeeves-keyring-id\0').update(key).digest('hex').slice(0, 12);
}

export function createKeyring(keys: readonly Buffer[]): Keyring {
  if (keys.length === 0) throw new Error('a keyring needs at least one key');
  const byId = new Map<string, Buffer>();
  for (const key of keys) {
    if (key.length !== KEY_BYTES) throw new Error(`a keyring key must be ${KEY_BYTES} bytes`);
    byId.set(keyIdOf(key), key);
  }
  const keyIds = [...byId.keys()];
  const currentKeyId = keyIds[0]!;
  const current = byId.get(currentKeyId)!;

  const parse = (sealed: string) => {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION || parts[1] === '') return undefined;
    return { keyId: parts[1]!, iv: Buffer.from(parts[2]!, 'base64url'), body: Buffer.from(parts[3]!, 'base64url') };
  };

  return {
    currentKeyId,
    keyIds,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [VERSION, currentKeyId, iv.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const parsed = parse(sealed);
      if (!parsed || parsed.iv.length !== IV_BYTES || parsed.body.length < TAG_BYTES) {
        throw new SealedValueUnreadableError('malformed', parsed?.keyId, 'the stored value is not a sealed secret');
      }
      const key = byId.get(parsed.keyId);
      if (!key) {
        throw new SealedValueUnreadableError(
          'unknown-key',
          parsed.keyId,
          `the stored value was sealed with key ${parsed.keyId}, which is not among the configured keys (${keyIds.join(', ')})`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(parsed.body.subarray(parsed.body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(parsed.body.subarray(0, parsed.body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch (err) {
        throw new SealedValueUnreadableError('tampered', parsed.keyId, `the stored value does not authenticate under key ${parsed.keyId} (altered, or moved from another row)`, err);
      }
    },
    keyIdOf: (sealed) => parse(sealed)?.keyId,
  };
}
