import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { DataSource } from 'typeorm';
import { createTokensService, tokensEntities, type TokensService } from '../../src/modules/tokens';
import { createDataSource } from '../../src/platform/db/data-source';
import { createLogger } from '../../src/platform/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The tokens service on real PostgreSQL: what is stored, and several processes sharing keys. */
const ISSUER = 'urn:jeeves:tokens';
const logger = createLogger({ level: 'silent' });

let db: TestDatabase;
let dataSource: DataSource;
let now: number;
const clock = () => now;

beforeEach(async () => {
  now = Date.UTC(2030, 0, 1, 12, 0, 0);
  db = await createTestDatabase();
  // The tokens module's own connection, as the extracted tokens service would have.
  dataSource = createDataSource({ url: db.url, entities: tokensEntities, migrations: [], poolSize: 4 });
  await dataSource.initialize();
});

afterEach(async () => {
  await dataSource.destroy();
  await db.drop();
});

const service = (options: { keyEncryptionSecret?: string } = {}): TokensService =>
  createTokensService({ dataSource, logger, issuer: ISSUER, tokenTtlSeconds: 300, clock, ...options });

describe('tokens service on PostgreSQL', () => {
  it('stores the client secret only as a salted scrypt hash', async () => {
    const { clientSecret } = await service().registerClient('monolith', ['weather', 'users']);

    const rows: Array<Record<string, unknown>> = await dataSource.query(`SELECT * FROM tokens_clients`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(clientSecret);
    expect(rows[0]).toMatchObject({ client_id: 'monolith', allowed_audiences: ['weather', 'users'], revoked_at: null });
    expect(rows[0]!.secret_hash).toMatch(/^scrypt\$/);
  });

  it('issues a token that verifies against the JWKS it serves', async () => {
    const tokens = service();
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
    const { access_token } = await tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' });
    const { payload } = await jwtVerify(access_token, createLocalJWKSet(await tokens.jwks()), { issuer: ISSUER, audience: 'weather', currentDate: new Date(now) });
    expect(payload.sub).toBe('monolith');
  });

  it('two processes starting together create one signing key between them', async () => {
    const [a, b] = await Promise.all([service().ensureActiveKey(), service().ensureActiveKey()]);
    expect(a.kid).toBe(b.kid);
    expect(await dataSource.query(`SELECT kid FROM tokens_signing_keys`)).toHaveLength(1);
  });

  it('a rotation in one process reaches another within its key cache, and the old key stays served', async () => {
    const a = service();
    const b = service();
    const { clientSecret } = await a.registerClient('monolith', ['weather']);
    const issueFrom = async (s: TokensService) => decodeProtectedHeader((await s.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' })).access_token).kid;
    const oldKid = await issueFrom(b);

    const rotated = await a.rotateKeys();
    expect(await issueFrom(a)).toBe(rotated.kid);
    now += 30_000;
    expect(await issueFrom(b)).toBe(rotated.kid);
    expect((await b.jwks()).keys.map((k) => k.kid).sort()).toEqual([rotated.kid, oldKid].sort());
  });

  it('records when a retired key stops signing and leaves the JWKS, and deletes it at a later rotation once expired', async () => {
    const tokens = service();
    const first = await tokens.ensureActiveKey();
    await tokens.rotateKeys();
    const [row] = await dataSource.query(`SELECT retire_after, expires_at FROM tokens_signing_keys WHERE kid = $1`, [first.kid]);
    expect(row.retire_after.getTime()).toBe(now);
    expect(row.expires_at.getTime()).toBe(now + (300 + 30 + 60) * 1000);

    now += 24 * 3600_000;
    await tokens.rotateKeys();
    expect(await dataSource.query(`SELECT kid FROM tokens_signing_keys WHERE kid = $1`, [first.kid])).toHaveLength(0);
  });

  it('with a key-encryption secret, stores the private key sealed, and a wrong secret fails at start', async () => {
    await service({ keyEncryptionSecret: 'the-right-secret' }).ensureActiveKey();
    const [row] = await dataSource.query(`SELECT private_jwk, private_key_encryption FROM tokens_signing_keys`);
    expect(row.private_key_encryption).toBe('aes-256-gcm');
    expect(row.private_jwk).not.toContain('"d"');

    await expect(service({ keyEncryptionSecret: 'a-wrong-secret' }).ensureActiveKey()).rejects.toMatchObject({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' });
  });

  it('revoking a client stops its tokens and is recorded', async () => {
    const tokens = service();
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
    expect(await tokens.revokeClient('monolith')).toBe(true);
    expect(await tokens.revokeClient('monolith')).toBe(false);
    await expect(tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' })).rejects.toMatchObject({ code: 'TOKENS.INVALID_CLIENT' });
  });

  it('registering a taken client id fails with TOKENS.CLIENT_EXISTS and keeps the first secret', async () => {
    const tokens = service();
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
    await expect(tokens.registerClient('monolith', ['users'])).rejects.toMatchObject({ code: 'TOKENS.CLIENT_EXISTS' });
    await expect(tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' })).resolves.toBeDefined();
  });
});
