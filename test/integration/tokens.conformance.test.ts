import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/platform/app';
import { createTokensHttpClient, createTokensService, tokensEntities, tokensRouter, type TokenIssuer } from '../../src/modules/tokens';
import { createDataSource } from '../../src/platform/db/data-source';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import {
  createHttpTokenSource,
  createInProcessTokenSource,
  createServiceTokenProvider,
  type TokenSource,
} from '../../src/platform/service-auth';
import { createTestDatabase } from '../support/database';
import { startCheckingProxy, startTokensStack } from './extracted.support';

/**
 * One contract, two implementations: the tokens module in-process, and the same module
 * behind its HTTP adapter on a real port (tokens-remote). Both the TokenIssuer (module face)
 * and the TokenSource (platform, what callers use) must answer the same way.
 */
const ISSUER = 'urn:jeeves:tokens';
const TTL = 120;
const logger = createLogger({ level: 'silent' });

interface Subject {
  issuer: TokenIssuer;
  source(clientId: string, clientSecret: string): TokenSource;
  secret: string;
  close(): Promise<void>;
}

async function tokensOnDatabase() {
  const db = await createTestDatabase();
  const dataSource: DataSource = createDataSource({ url: db.url, entities: tokensEntities, migrations: [], poolSize: 4 });
  await dataSource.initialize();
  const tokens = createTokensService({ dataSource, logger, issuer: ISSUER, tokenTtlSeconds: TTL });
  const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
  return { tokens, secret: clientSecret, close: async () => (await dataSource.destroy(), await db.drop()) };
}

const implementations: Array<[string, () => Promise<Subject>]> = [
  [
    'in-process',
    async () => {
      const { tokens, secret, close } = await tokensOnDatabase();
      return { issuer: tokens, source: (clientId, clientSecret) => createInProcessTokenSource({ issuer: tokens, clientId, clientSecret }), secret, close };
    },
  ],
  [
    'over HTTP (tokens-remote)',
    async () => {
      const { tokens, secret, close } = await tokensOnDatabase();
      const app = createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: '/', router: tokensRouter({ tokens }) }] });
      const server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return {
        issuer: createTokensHttpClient({ baseUrl }),
        source: (clientId, clientSecret) => createHttpTokenSource({ tokenUrl: `${baseUrl}/oauth/token`, clientId, clientSecret }),
        secret,
        close: async () => {
          // fetch keeps connections alive; close them or server.close waits for their timeout.
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
          await close();
        },
      };
    },
  ],
  [
    'remote: extracted service (answers checked against /openapi.json)',
    async () => {
      const stack = await startTokensStack({ tokenTtlSeconds: TTL });
      const proxy = await startCheckingProxy(stack.service.url);
      return {
        issuer: createTokensHttpClient({ baseUrl: proxy.url }),
        source: (clientId, clientSecret) => createHttpTokenSource({ tokenUrl: `${proxy.url}/oauth/token`, clientId, clientSecret }),
        secret: await stack.register('monolith', ['weather']),
        close: async () => {
          await stack.close();
          await proxy.close();
        },
      };
    },
  ],
];

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; status?: number };
  }
  throw new Error('expected a rejection');
}

describe.each(implementations)('tokens contract: %s', (_name, create) => {
  let subject: Subject;
  beforeAll(async () => {
    subject = await create();
  });
  afterAll(() => subject.close());

  describe('TokenIssuer', () => {
    it('issues a Bearer token that verifies against the JWKS it publishes', async () => {
      const issued = await subject.issuer.issueToken({ clientId: 'monolith', clientSecret: subject.secret, audience: 'weather' });
      expect(issued).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: TTL });
      const jwks = await subject.issuer.jwks();
      expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(issued.access_token).kid);
      const { payload } = await jwtVerify(issued.access_token, createLocalJWKSet(jwks), { issuer: ISSUER, audience: 'weather' });
      expect(payload.sub).toBe('monolith');
    });

    it('with a wrong secret, then TOKENS.INVALID_CLIENT (401)', async () => {
      const err = await rejection(subject.issuer.issueToken({ clientId: 'monolith', clientSecret: 'wrong', audience: 'weather' }));
      expect(err).toMatchObject({ code: 'TOKENS.INVALID_CLIENT', status: 401 });
    });

    it('with an unknown client, then TOKENS.INVALID_CLIENT (401)', async () => {
      const err = await rejection(subject.issuer.issueToken({ clientId: 'nobody', clientSecret: 'x', audience: 'weather' }));
      expect(err).toMatchObject({ code: 'TOKENS.INVALID_CLIENT', status: 401 });
    });

    it('with an audience the client may not ask for, then TOKENS.INVALID_AUDIENCE (400)', async () => {
      const err = await rejection(subject.issuer.issueToken({ clientId: 'monolith', clientSecret: subject.secret, audience: 'users' }));
      expect(err).toMatchObject({ code: 'TOKENS.INVALID_AUDIENCE', status: 400 });
    });

    it('with no audience, then TOKENS.INVALID_REQUEST (400)', async () => {
      const err = await rejection(subject.issuer.issueToken({ clientId: 'monolith', clientSecret: subject.secret, audience: '' }));
      expect(err).toMatchObject({ code: 'TOKENS.INVALID_REQUEST', status: 400 });
    });
  });

  describe('TokenSource', () => {
    it('issues a token for the audience with its lifetime', async () => {
      const token = await subject.source('monolith', subject.secret).issue('weather');
      expect(token).toEqual({ token: expect.any(String), expiresIn: TTL });
      const { payload } = await jwtVerify(token.token, createLocalJWKSet(await subject.issuer.jwks()), { issuer: ISSUER, audience: 'weather' });
      expect(payload.aud).toBe('weather');
    });

    it('with a wrong secret, then TOKENS.INVALID_CLIENT (401)', async () => {
      expect(await rejection(subject.source('monolith', 'wrong').issue('weather'))).toMatchObject({ code: 'TOKENS.INVALID_CLIENT', status: 401 });
    });

    it('with an audience the client may not ask for, then TOKENS.INVALID_AUDIENCE (400)', async () => {
      expect(await rejection(subject.source('monolith', subject.secret).issue('users'))).toMatchObject({ code: 'TOKENS.INVALID_AUDIENCE', status: 400 });
    });

    it('feeds a provider that caches the token between calls', async () => {
      const provider = createServiceTokenProvider({ source: subject.source('monolith', subject.secret), audience: 'weather' });
      const first = await provider.headers();
      expect(first.authorization).toMatch(/^Bearer ey/);
      expect(await provider.headers()).toEqual(first);
    });
  });
});
