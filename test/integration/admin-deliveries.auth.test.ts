import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure/infrastructure';
import { createDeadLetters } from '../../src/modules/slack';
import { createTokensService } from '../../src/modules/tokens';
import { createLogger } from '../../src/platform/logger';
import { ADMIN_CLIENT_ID, MONOLITH_CLIENT_ID, routeModules, type RoutedModules } from '../../src/monolith/wire-switched-modules';
import { ADMIN_AUDIENCE, SERVICE_TOKEN_ISSUER } from '../../src/platform/service-auth';
import { createTestDatabase } from '../support/database';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { basicAuth, monolithTokenFor } from '../support/service-tokens';

/**
 * GET /api/admin/deliveries: in production only with a service token for audience 'admin',
 * which an operator gets from POST /oauth/token with the admin client (ADMIN_CLIENT_SECRET),
 * never with the monolith's client that every process holds.
 */

jest.setTimeout(60_000);

const SECRET = 'the-operators-service-client-secret-of-40-chars';
const ADMIN_SECRET = 'the-operators-admin-client-secret-of-40-chars';
const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-session-secret-for-the-test',
  SERVICE_CLIENT_SECRET: SECRET,
  ADMIN_CLIENT_SECRET: ADMIN_SECRET,
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
};


const tokenFor = (h: JeevesHarness, audience: string) => monolithTokenFor(h.jeeves.app, SECRET, audience);
const askToken = (h: JeevesHarness, clientId: string, secret: string, audience: string) =>
  request(h.jeeves.app).post('/oauth/token').set('authorization', basicAuth(clientId, secret)).type('form').send({ grant_type: 'client_credentials', audience });
const adminToken = async (h: JeevesHarness) => ((await askToken(h, ADMIN_CLIENT_ID, ADMIN_SECRET, ADMIN_AUDIENCE).expect(200)).body as { access_token: string }).access_token;

async function recordDeadLetter(h: JeevesHarness, key: string): Promise<void> {
  const deadLetters = createDeadLetters({ dataSource: h.database.dataSource });
  await deadLetters.record({ message: { teamId: 'T1', channel: 'CGONE', text: 'lost', key }, code: 'SLACK.CHANNEL_NOT_FOUND', reason: 'gone', attemptsMade: 1 });
}

const listDeadLetters = (h: JeevesHarness) => request(h.jeeves.app).get('/api/admin/deliveries?limit=10');

describe('GET /api/admin/deliveries in production', () => {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness(PRODUCTION);
    await recordDeadLetter(h, 'admin-prod-1');
  });
  afterAll(() => h?.close());

  it('without a session or a token, then 401 and no dead letter', async () => {
    const res = await listDeadLetters(h);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: expect.stringMatching(/^AUTH\./) }) });
    expect(JSON.stringify(res.body)).not.toContain('admin-prod-1');
  });

  it('with a token for another audience (users), then 401 wrong_audience', async () => {
    const res = await listDeadLetters(h).set('authorization', `Bearer ${await tokenFor(h, 'users')}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="jeeves-services", error="invalid_token"/);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'AUTH.INVALID_TOKEN', details: { reason: 'wrong_audience' } }) });
  });

  it('when the monolith client asks for an admin token, then 400 invalid_scope: it serves only users and weather', async () => {
    const res = await askToken(h, MONOLITH_CLIENT_ID, SECRET, ADMIN_AUDIENCE);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_scope', code: 'TOKENS.INVALID_AUDIENCE' });
  });

  it('when the admin client asks with the monolith secret, then 401 invalid_client', async () => {
    const res = await askToken(h, ADMIN_CLIENT_ID, SECRET, ADMIN_AUDIENCE);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client' });
  });

  it('when the admin client asks for a users token, then 400: it serves only admin', async () => {
    expect((await askToken(h, ADMIN_CLIENT_ID, ADMIN_SECRET, 'users')).status).toBe(400);
  });

  it('with an admin token from the admin client, then 200 and the dead letters', async () => {
    const res = await listDeadLetters(h).set('authorization', `Bearer ${await adminToken(h)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deadLetters: [expect.objectContaining({ key: 'admin-prod-1', channel: 'CGONE', code: 'SLACK.CHANNEL_NOT_FOUND' })] });
  });
});

describe('GET /api/admin/deliveries in development', () => {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness({ NODE_ENV: 'development', SERVICE_CLIENT_SECRET: SECRET, ADMIN_CLIENT_SECRET: ADMIN_SECRET });
    await recordDeadLetter(h, 'admin-dev-1');
  });
  afterAll(() => h?.close());

  it('without a session or a token, then 401: development is no longer open', async () => {
    const res = await listDeadLetters(h);
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain('admin-dev-1');
  });

  it('with an admin token, then 200 and the dead letters', async () => {
    const res = await listDeadLetters(h).set('authorization', `Bearer ${await adminToken(h)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deadLetters: [expect.objectContaining({ key: 'admin-dev-1' })] });
  });
});

describe('GET /api/admin/deliveries in production without ADMIN_CLIENT_SECRET', () => {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness({ ...PRODUCTION, ADMIN_CLIENT_SECRET: '' });
  });
  afterAll(() => h?.close());

  it('when anyone asks for an admin token, then there is no admin client to give one (401 invalid_client)', async () => {
    expect((await askToken(h, ADMIN_CLIENT_ID, ADMIN_SECRET, ADMIN_AUDIENCE)).status).toBe(401);
    expect((await askToken(h, MONOLITH_CLIENT_ID, SECRET, ADMIN_AUDIENCE)).status).toBe(400);
  });
});

it('refuses an ADMIN_CLIENT_SECRET equal to SERVICE_CLIENT_SECRET, naming it', () => {
  expect(() => loadConfig({ SERVICE_CLIENT_SECRET: SECRET, ADMIN_CLIENT_SECRET: SECRET })).toThrow(/^ADMIN_CLIENT_SECRET: must differ from SERVICE_CLIENT_SECRET/);
});

it('when an earlier deployment gave the monolith client the admin audience, then starting Jeeves takes it away and gives it to the admin client', async () => {
  const database = await createTestDatabase();
  const logger = createLogger({ level: 'silent' });
  const config = loadConfig({
    ...PRODUCTION,
    SLACK_SIGNING_SECRET: 'a-signing-secret',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    JEEVES_DATA_DIR: mkdtempSync(join(tmpdir(), 'jeeves-admin-')),
    FLAGS_FILE: join(tmpdir(), `jeeves-admin-flags-${process.pid}.json`),
  });
  const asMonolith = { clientId: MONOLITH_CLIENT_ID, clientSecret: SECRET, audience: ADMIN_AUDIENCE };
  let infra: Infrastructure | undefined;
  let routed: RoutedModules | undefined;
  try {
    // The row an earlier deployment left: the same secret, for users, weather and admin.
    const earlier = createTokensService({ dataSource: database.dataSource, logger, issuer: SERVICE_TOKEN_ISSUER });
    await earlier.ensureClient(MONOLITH_CLIENT_ID, ['users', 'weather', ADMIN_AUDIENCE], SECRET);
    await expect(earlier.issueToken(asMonolith)).resolves.toMatchObject({ token_type: 'Bearer' });

    infra = await openInfrastructure({ config, logger });
    routed = await routeModules(infra);
    await expect(routed.tokens.issueToken(asMonolith)).rejects.toMatchObject({ code: 'TOKENS.INVALID_AUDIENCE' });
    await expect(routed.tokens.issueToken({ ...asMonolith, audience: 'users' })).resolves.toMatchObject({ token_type: 'Bearer' });
    await expect(routed.tokens.issueToken({ clientId: ADMIN_CLIENT_ID, clientSecret: ADMIN_SECRET, audience: ADMIN_AUDIENCE })).resolves.toMatchObject({ token_type: 'Bearer' });
  } finally {
    routed?.routing.close();
    await infra?.close();
    await database.drop();
  }
});
