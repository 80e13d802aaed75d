import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/platform/app';
import { createTokensService, tokensEntities, tokensRouter, type TokenIssuer, type TokensService } from '../../src/modules/tokens';
import { createDataSource } from '../../src/platform/db/data-source';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { requireServiceToken } from '../../src/platform/service-auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The tokens HTTP adapter as a client sees it (RFC 6749 token endpoint, JWKS), served on a
 * real port, and a second app verifying its tokens through the JWKS URL.
 */
const logger = createLogger({ level: 'silent' });
const buildApp = (tokens: TokenIssuer) =>
  // Mounted among the raw-body routes: the router parses its own form/JSON bodies, so even a malformed body gets an OAuth error.
  createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, rawBodyRoutes: [{ path: '/', router: tokensRouter({ tokens }) }] });

async function listen(app: ReturnType<typeof createApp>): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

let db: TestDatabase;
let dataSource: DataSource;
let tokens: TokensService;
let issuer: string;
let server: Server;
let app: ReturnType<typeof createApp>;
let secret: string;

const basic = (id: string, s: string) => `Basic ${Buffer.from(`${id}:${s}`).toString('base64')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = createDataSource({ url: db.url, entities: tokensEntities, migrations: [], poolSize: 4 });
  await dataSource.initialize();
  // The issuer is the service's own URL, known once it listens; the router reads the service late.
  const late: TokenIssuer = { issueToken: (r) => tokens.issueToken(r), jwks: () => tokens.jwks() };
  app = buildApp(late);
  ({ server, url: issuer } = await listen(app));
  tokens = createTokensService({ dataSource, logger, issuer });
  await tokens.ensureActiveKey();
  secret = (await tokens.registerClient('monolith', ['weather'])).clientSecret;
});

afterAll(async () => {
  await stop(server);
  await dataSource.destroy();
  await db.drop();
});

describe('POST /oauth/token', () => {
  it('issues a Bearer token for a form request with HTTP Basic, marked not cacheable', async () => {
    const res = await request(app).post('/oauth/token').set('authorization', basic('monolith', secret)).type('form').send({ grant_type: 'client_credentials', audience: 'weather' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 300 });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  });

  it('issues a token for a JSON request with client_id and client_secret in the body', async () => {
    const res = await request(app).post('/oauth/token').send({ grant_type: 'client_credentials', client_id: 'monolith', client_secret: secret, scope: 'weather' });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
  });

  it('with a wrong secret, then 401 invalid_client in the RFC 6749 shape, with a Basic challenge', async () => {
    const res = await request(app).post('/oauth/token').set('authorization', basic('monolith', 'wrong')).type('form').send({ grant_type: 'client_credentials', audience: 'weather' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String), code: 'TOKENS.INVALID_CLIENT' });
    expect(res.headers['www-authenticate']).toBe('Basic realm="jeeves-tokens"');
  });

  it('with an audience the client may not ask for, then 400 invalid_scope', async () => {
    const res = await request(app).post('/oauth/token').set('authorization', basic('monolith', secret)).type('form').send({ grant_type: 'client_credentials', audience: 'users' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_scope');
  });

  it('with another grant type, then 400 unsupported_grant_type', async () => {
    const res = await request(app).post('/oauth/token').set('authorization', basic('monolith', secret)).type('form').send({ grant_type: 'password', audience: 'weather' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
  });

  it('with malformed JSON, then 400 invalid_request, still in the OAuth shape', async () => {
    const res = await request(app).post('/oauth/token').set('content-type', 'application/json').send('{"grant_type":');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('when the service fails unexpectedly, then 500 in the app error shape (RFC 6749 defines no server error here)', async () => {
    const broken = buildApp({ issueToken: () => Promise.reject(new Error('boom')), jwks: async () => ({ keys: [] }) });
    const res = await request(broken).post('/oauth/token').set('authorization', basic('monolith', secret)).type('form').send({ grant_type: 'client_credentials', audience: 'weather' });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL');
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('serves the public keys with a short cache lifetime', async () => {
    const res = await request(app).get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.body.keys).toEqual([expect.objectContaining({ kty: 'EC', alg: 'ES256', use: 'sig', kid: expect.any(String) })]);
    expect(res.body.keys[0]).not.toHaveProperty('d');
  });

  it('is usable by jose createRemoteJWKSet to verify an issued token', async () => {
    const { access_token } = await tokens.issueToken({ clientId: 'monolith', clientSecret: secret, audience: 'weather' });
    const { payload } = await jwtVerify(access_token, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), { issuer, audience: 'weather' });
    expect(payload.sub).toBe('monolith');
  });
});

describe('a service verifying through the JWKS URL', () => {
  let service: ReturnType<typeof createApp>;
  beforeAll(() => {
    const routes = Router();
    // cooldownMs 0: the real default (30 s) would make the test wait for a rotation to be seen.
    routes.get('/ping', requireServiceToken({ keys: { jwksUrl: `${issuer}/.well-known/jwks.json`, cooldownMs: 0 }, audience: 'weather', issuer }), (_req, res) => {
      res.json({ ok: true });
    });
    service = createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: '/', router: routes }] });
  });

  const issue = async () => (await tokens.issueToken({ clientId: 'monolith', clientSecret: secret, audience: 'weather' })).access_token;

  it('accepts a token from the tokens service and refuses a missing one', async () => {
    expect((await request(service).get('/ping').set('authorization', `Bearer ${await issue()}`)).status).toBe(200);
    expect((await request(service).get('/ping')).status).toBe(401);
  });

  it('after a rotation, accepts both a token of the old key and one of the new key (refetching the JWKS)', async () => {
    const before = await issue();
    await request(service).get('/ping').set('authorization', `Bearer ${before}`);
    const rotated = await tokens.rotateKeys();
    const after = await issue();
    expect(decodeProtectedHeader(after).kid).toBe(rotated.kid);

    expect((await request(service).get('/ping').set('authorization', `Bearer ${after}`)).status).toBe(200);
    expect((await request(service).get('/ping').set('authorization', `Bearer ${before}`)).status).toBe(200);
  });
});
