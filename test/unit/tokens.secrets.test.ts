import { generateClientSecret, hashSecret, UNKNOWN_CLIENT_HASH, verifySecret } from '../../src/modules/tokens/tokens.secrets';

describe('tokens client secrets', () => {
  it('stores a scrypt hash that does not contain the secret', async () => {
    const secret = generateClientSecret();
    const hash = await hashSecret(secret);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain(secret);
  });

  it('salts each hash: the same secret hashes differently twice', async () => {
    const secret = generateClientSecret();
    expect(await hashSecret(secret)).not.toBe(await hashSecret(secret));
  });

  it('verifies the right secret and refuses a wrong one', async () => {
    const secret = generateClientSecret();
    const hash = await hashSecret(secret);
    expect(await verifySecret(secret, hash)).toBe(true);
    expect(await verifySecret(`${secret}x`, hash)).toBe(false);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifySecret('anything', 'md5$abc')).toBe(false);
  });

  it('matches no secret against the hash used for unknown clients', async () => {
    expect(await verifySecret('', UNKNOWN_CLIENT_HASH)).toBe(false);
  });

  it('generates 256-bit URL-safe secrets', () => {
    expect(Buffer.from(generateClientSecret(), 'base64url')).toHaveLength(32);
  });
});
