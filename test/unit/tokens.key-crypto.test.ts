import { openPrivateJwk, sealPrivateJwk } from '../../src/modules/tokens/tokens.key-crypto';
import { createKeyring, decodeKey, generateKey } from '../../src/platform/crypto';

const jwk = { kty: 'EC', crv: 'P-256', x: 'x-part', y: 'y-part', d: 'the-private-scalar' };
const SECRET = 'key-encryption-secret-for-tests';

describe('tokens private key sealing', () => {
  it('with a secret, stores AES-256-GCM ciphertext that hides the private scalar and opens back', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', { secret: SECRET });
    expect(sealed.privateKeyEncryption).toBe('aes-256-gcm');
    expect(sealed.privateJwk).not.toContain('the-private-scalar');
    expect(openPrivateJwk(sealed, 'kid-1', { secret: SECRET })).toEqual(jwk);
  });

  it('without a secret, stores the JWK as it is and says so', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', {});
    expect(sealed.privateKeyEncryption).toBe('none');
    expect(openPrivateJwk(sealed, 'kid-1', {})).toEqual(jwk);
  });

  it('with the wrong secret, fails with TOKENS.SIGNING_KEY_UNREADABLE', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', { secret: SECRET });
    expect(() => openPrivateJwk(sealed, 'kid-1', { secret: 'another-secret' })).toThrow(expect.objectContaining({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' }));
  });

  it('refuses a sealed key moved to another kid (the kid is authenticated data)', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', { secret: SECRET });
    expect(() => openPrivateJwk(sealed, 'kid-2', { secret: SECRET })).toThrow(expect.objectContaining({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' }));
  });

  it('says plainly when an encrypted key meets a service without the secret', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', { secret: SECRET });
    expect(() => openPrivateJwk(sealed, 'kid-1', {})).toThrow(/encrypted and no key-encryption secret/);
  });

  describe('with the deployment keyring (TOKEN_ENCRYPTION_KEY)', () => {
    const oldKey = decodeKey(generateKey())!;
    const newKey = decodeKey(generateKey())!;

    it('seals with the keyring, hiding the private scalar, and opens back', () => {
      const sealed = sealPrivateJwk(jwk, 'kid-1', { keyring: createKeyring([oldKey]), secret: SECRET });
      expect(sealed.privateKeyEncryption).toBe('keyring');
      expect(sealed.privateJwk).not.toContain('the-private-scalar');
      expect(openPrivateJwk(sealed, 'kid-1', { keyring: createKeyring([oldKey]) })).toEqual(jwk);
    });

    it('is unreadable without its key, and readable after a rotation that keeps the old key second', () => {
      const sealed = sealPrivateJwk(jwk, 'kid-1', { keyring: createKeyring([oldKey]) });
      expect(() => openPrivateJwk(sealed, 'kid-1', { keyring: createKeyring([newKey]) })).toThrow(expect.objectContaining({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' }));
      expect(() => openPrivateJwk(sealed, 'kid-1', {})).toThrow(expect.objectContaining({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' }));
      expect(openPrivateJwk(sealed, 'kid-1', { keyring: createKeyring([newKey, oldKey]) })).toEqual(jwk);
    });

    it('refuses a sealed key moved to another kid', () => {
      const sealed = sealPrivateJwk(jwk, 'kid-1', { keyring: createKeyring([oldKey]) });
      expect(() => openPrivateJwk(sealed, 'kid-2', { keyring: createKeyring([oldKey]) })).toThrow(expect.objectContaining({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' }));
    });

    it('still opens keys sealed earlier with a secret, or stored as they are', () => {
      const keyring = createKeyring([newKey]);
      expect(openPrivateJwk(sealPrivateJwk(jwk, 'kid-1', { secret: SECRET }), 'kid-1', { keyring, secret: SECRET })).toEqual(jwk);
      expect(openPrivateJwk(sealPrivateJwk(jwk, 'kid-1', {}), 'kid-1', { keyring })).toEqual(jwk);
    });
  });
});
