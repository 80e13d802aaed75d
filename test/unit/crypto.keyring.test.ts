import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyring, decodeKey, generateKey, keyIdOf, resolveEncryptionKeyring, SealedValueUnreadableError } from '../../src/platform/crypto';
import { createLogger } from '../../src/platform/logger';

/** The AES-256-GCM keyring for secrets at rest, and where its keys come from. */
const oldKey = decodeKey(generateKey())!;
const newKey = decodeKey(generateKey())!;

function unreadable(fn: () => unknown): SealedValueUnreadableError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SealedValueUnreadableError) return err;
    throw err;
  }
  throw new Error('expected SealedValueUnreadableError');
}

describe('keyring', () => {
  it('seals to a value naming its key that hides the plaintext, and opens it back', () => {
    const keyring = createKeyring([newKey]);
    const sealed = keyring.seal('xoxb-secret-token', 'row:T1');
    expect(sealed).not.toContain('xoxb-secret-token');
    expect(keyring.keyIdOf(sealed)).toBe(keyIdOf(newKey));
    expect(keyring.open(sealed, 'row:T1')).toBe('xoxb-secret-token');
  });

  it('seals the same plaintext differently each time (a fresh IV)', () => {
    const keyring = createKeyring([newKey]);
    expect(keyring.seal('same', 'c')).not.toBe(keyring.seal('same', 'c'));
  });

  it('when a value is opened in another context, then it is refused as tampered', () => {
    const keyring = createKeyring([newKey]);
    const sealed = keyring.seal('xoxb-secret-token', 'row:T1');
    expect(unreadable(() => keyring.open(sealed, 'row:T2')).reason).toBe('tampered');
  });

  it('when one byte of the ciphertext changes, then it is refused as tampered', () => {
    const keyring = createKeyring([newKey]);
    const sealed = keyring.seal('xoxb-secret-token', 'c');
    const body = Buffer.from(sealed.split('.')[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    const altered = [...sealed.split('.').slice(0, 3), body.toString('base64url')].join('.');
    expect(unreadable(() => keyring.open(altered, 'c')).reason).toBe('tampered');
  });

  it('when the key that sealed a value is not configured, then the error names that key', () => {
    const sealed = createKeyring([oldKey]).seal('xoxb-secret-token', 'c');
    const err = unreadable(() => createKeyring([newKey]).open(sealed, 'c'));
    expect(err).toMatchObject({ reason: 'unknown-key', keyId: keyIdOf(oldKey), code: 'CRYPTO.UNREADABLE' });
    expect(err.message).toContain(keyIdOf(oldKey));
  });

  it('after a rotation (new key first, old second), old values still open and new ones are sealed with the new key', () => {
    const sealedBefore = createKeyring([oldKey]).seal('before', 'c');
    const rotated = createKeyring([newKey, oldKey]);
    expect(rotated.open(sealedBefore, 'c')).toBe('before');
    expect(rotated.keyIdOf(rotated.seal('after', 'c'))).toBe(keyIdOf(newKey));
    expect(rotated.keyIds).toEqual([keyIdOf(newKey), keyIdOf(oldKey)]);
  });

  it('refuses what is not a sealed value as malformed', () => {
    expect(unreadable(() => createKeyring([newKey]).open('xoxb-plain-token', 'c')).reason).toBe('malformed');
  });

  it.each([
    ['too short', Buffer.alloc(16).toString('base64')],
    ['not base64', '!'.repeat(44)],
    ['truncated', generateKey().slice(0, 40)],
  ])('decodeKey refuses a key that is %s', (_why, value) => {
    expect(decodeKey(value)).toBeUndefined();
  });
});

describe('resolveEncryptionKeyring', () => {
  const logger = createLogger({ level: 'silent' });
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'jeeves-keys-')), '.jeeves');
  });

  it('when TOKEN_ENCRYPTION_KEY lists keys, then the first seals and all open, and no file is written', async () => {
    const [a, b] = [generateKey(), generateKey()];
    const { keyring, development } = await resolveEncryptionKeyring({ configured: [a, b], dataDir, logger });
    expect(development).toBe(false);
    expect(keyring.keyIds).toEqual([keyIdOf(decodeKey(a)!), keyIdOf(decodeKey(b)!)]);
    expect(() => statSync(join(dataDir, 'dev-token-encryption-key'))).toThrow();
  });

  it('when unset, then a development key is created readable by the owner only and reused by the next process', async () => {
    const first = await resolveEncryptionKeyring({ dataDir, logger });
    const path = join(dataDir, 'dev-token-encryption-key');
    expect(first.development).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(decodeKey(readFileSync(path, 'utf8').trim())).toBeDefined();
    const second = await resolveEncryptionKeyring({ dataDir, logger });
    expect(second.keyring.open(first.keyring.seal('kept', 'c'), 'c')).toBe('kept');
  });

  it('when two processes start at once, then both use one development key', async () => {
    const [a, b] = await Promise.all([resolveEncryptionKeyring({ dataDir, logger }), resolveEncryptionKeyring({ dataDir, logger })]);
    expect(a.keyring.currentKeyId).toBe(b.keyring.currentKeyId);
  });
});
