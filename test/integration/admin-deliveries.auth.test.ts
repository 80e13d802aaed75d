import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure/infrastructure';
import { createDeadLetters } from '../../src/modules/slack';
import { createTokensService } from '../../src/modules/tokens';
import { createLogger } from '../../src/platform/logger';
import { MONOLITH_CLIENT_ID, routeModules, type RoutedModules } from '../../src/monolith/wire-switched-modules';
import { ADMIN_AUDIENCE, SERVICE_TOKEN_ISSUER } from '../../src/platform/service-auth';
import { createTestDatabase } from '../support/database';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { monolithTokenFor } from '../support/service-tokens';

/**
 * GET /api/admin/deliveries: in production only with a service token for audience 'admin',
 * which an operator gets from POST /oauth/token with the monolith's client and its secret.
 */

jest.setTimeout(60_000);

const SECRET = 'the-operators-service-client-secret-of-40-chars';
const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-session-secret-for-the-test',
  SERVICE_CLIENT_SECRET: SECRET,
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
};


const tokenFor = (h: JeevesHarness, audience: string) => monolithTokenFor(h.jeeves.app, SECRET, audience);

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

  it('with an admin token from POST /oauth/token, then 200 and the dead letters', async () => {
    const res = await listDeadLetters(h).set('authorization', `Bearer ${await tokenFor(h, ADMIN_AUDIENCE)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deadLetters: [expect.objectContaining({ key: 'admin-prod-1', channel: 'CGONE', code: 'SLACK.CHANNEL_NOT_FOUND' })] });
  });
});

describe('GET /api/admin/deliveries in development', () => {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness({ NODE_ENV: 'development', SERVICE_CLIENT_SECRET: SECRET });
    await recordDeadLetter(h, 'admin-dev-1');
  });
  afterAll(() => h?.close());

  it('without a session or a token, then 401: development is no longer open', async () => {
    const res = await listDeadLetters(h);
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain('admin-dev-1');
  });

  it('with an admin token, then 200 and the dead letters', async () => {
    const res = await listDeadLetters(h).set('authorization', `Bearer ${await tokenFor(h, ADMIN_AUDIENCE)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deadLetters: [expect.objectContaining({ key: 'admin-dev-1' })] });
  });
});

it('when the monolith client was registered before the admin audience existed, then starting Jeeves adds it', async () => {
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
  const admin = { clientId: MONOLITH_CLIENT_ID, clientSecret: SECRET, audience: ADMIN_AUDIENCE };
  let infra: Infrastructure | undefined;
  let routed: RoutedModules | undefined;
  try {
    // The row an earlier deployment left: the same secret, for users and weather only.
    const earlier = createTokensService({ dataSource: database.dataSource, logger, issuer: SERVICE_TOKEN_ISSUER });
    await earlier.ensureClient(MONOLITH_CLIENT_ID, ['users', 'weather'], SECRET);
    await expect(earlier.issueToken(admin)).rejects.toMatchObject({ code: 'TOKENS.INVALID_AUDIENCE' });

    infra = await openInfrastructure({ config, logger });
    routed = await routeModules(infra);
    await expect(routed.tokens.issueToken(admin)).resolves.toMatchObject({ token_type: 'Bearer' });
  } finally {
    routed?.routing.close();
    await infra?.close();
    await database.drop();
  }
});
