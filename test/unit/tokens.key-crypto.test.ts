import { openPrivateJwk, sealPrivateJwk } from '../../src/modules/tokens/tokens.key-crypto';

const jwk = { kty: 'EC', crv: 'P-256', x: 'x-part', y: 'y-part', d: 'the-private-scalar' };
const SECRET = 'key-encryption-secret-for-tests';

describe('tokens private key sealing', () => {
  it('with a secret, stores AES-256-GCM ciphertext that hides the private scalar and opens back', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', SECRET);
    expect(sealed.privateKeyEncryption).toBe('aes-256-gcm');
    expect(sealed.privateJwk).not.toContain('the-private-scalar');
    expect(openPrivateJwk(sealed, 'kid-1', SECRET)).toEqual(jwk);
  });

  it('without a secret, stores the JWK as it is and says so', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', undefined);
    expect(sealed.privateKeyEncryption).toBe('none');
    expect(openPrivateJwk(sealed, 'kid-1', undefined)).toEqual(jwk);
  });

  it('with the wrong secret, fails with TOKENS.SIGNING_KEY_UNREADABLE', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', SECRET);
    expect(() => openPrivateJwk(sealed, 'kid-1', 'another-secret')).toThrow(expect.objectContaining({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' }));
  });

  it('refuses a sealed key moved to another kid (the kid is authenticated data)', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', SECRET);
    expect(() => openPrivateJwk(sealed, 'kid-2', SECRET)).toThrow(expect.objectContaining({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' }));
  });

  it('says plainly when an encrypted key meets a service without the secret', () => {
    const sealed = sealPrivateJwk(jwk, 'kid-1', SECRET);
    expect(() => openPrivateJwk(sealed, 'kid-1', undefined)).toThrow(/encrypted and no key-encryption secret/);
  });
});
