import { generateKey } from '../../src/platform/crypto';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startJeevesHarness } from '../support/jeeves-harness';

/**
 * The tokens module's private signing keys are sealed with TOKEN_ENCRYPTION_KEY: unreadable
 * without that key (a start-up says so and stops), readable again once the key is listed after
 * a new one (rotation).
 */

jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const oldKey = generateKey();
const newKey = generateKey();

it('the monolith stores its signing key sealed with the keyring, without the private scalar in clear', async () => {
  const h = await startJeevesHarness({ TOKEN_ENCRYPTION_KEY: oldKey }, { database: db });
  await h.close();
  const rows = (await db.dataSource.query(`SELECT private_key_encryption, private_jwk FROM tokens_signing_keys`)) as Array<{ private_key_encryption: string; private_jwk: string }>;
  expect(rows.map((r) => r.private_key_encryption)).toEqual(['keyring']);
  expect(rows[0]!.private_jwk).not.toMatch(/"d"\s*:/);
});

it('with only another key, the start-up stops with TOKENS.SIGNING_KEY_UNREADABLE', async () => {
  await expect(startJeevesHarness({ TOKEN_ENCRYPTION_KEY: newKey }, { database: db })).rejects.toMatchObject({ code: 'TOKENS.SIGNING_KEY_UNREADABLE' });
});

it('after a rotation (the new key first, the old one after it), it starts and issues tokens again', async () => {
  const h = await startJeevesHarness({ TOKEN_ENCRYPTION_KEY: `${newKey},${oldKey}` }, { database: db });
  try {
    await expect(h.jeeves.routing).toBeDefined();
    const jwks = await (await import('supertest')).default(h.jeeves.app).get('/.well-known/jwks.json').expect(200);
    expect((jwks.body as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
  } finally {
    await h.close();
  }
});
