import { createServer } from 'node:net';
import { usersService } from '../../extracted/users/main';
import type { Env } from '../../src/config';
import { createServiceTokenProvider } from '../../src/platform/service-auth';
import { listen, type ListeningServer } from '../../src/platform/server';
import type { RunningService } from '../../src/service-host/service-host';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { monolithTokenFor } from '../support/service-tokens';
import { start, startTokensStack, type TokensStack } from './extracted.support';

/**
 * An extracted service started with only the URLs the README names (JEEVES_URL,
 * TOKENS_SERVICE_URL), no TOKENS_JWKS_URL: it finds the keys wherever the tokens module
 * answers, and says it is not ready while it cannot fetch them.
 */

jest.setTimeout(60_000);

const SECRET = 'the-monolith-service-client-secret-for-keys';

/** A port nothing listens on: taken, then let go. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const listUsers = (service: RunningService, token: string) => fetch(`${service.url}/api/users?limit=1`, { headers: { authorization: `Bearer ${token}` } });

describe('a service beside a monolith on a port other than 3000', () => {
  let h: JeevesHarness;
  let monolith: ListeningServer;
  let nowhere: string;
  const services: RunningService[] = [];
  const startUsers = async (env: Env) => {
    const service = await start(usersService, { DATABASE_URL: h.database.url, ...env });
    services.push(service);
    return service;
  };

  beforeAll(async () => {
    h = await startJeevesHarness({ SERVICE_CLIENT_SECRET: SECRET });
    monolith = await listen(h.jeeves.app, 0, '127.0.0.1');
    nowhere = await closedPortUrl();
  });
  afterAll(async () => {
    for (const service of services) await service.close();
    await monolith?.close();
    await h?.close();
  });

  it('when started with JEEVES_URL alone, then it is ready and accepts the monolith’s tokens', async () => {
    expect(monolith.port).not.toBe(3000);
    const service = await startUsers({ JEEVES_URL: `http://127.0.0.1:${monolith.port}`, TOKENS_SERVICE_URL: nowhere });

    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: expect.arrayContaining(['database', 'keys']) });
    const res = await listUsers(service, await monolithTokenFor(h.jeeves.app, SECRET, 'users'));
    expect(res.status).toBe(200);
  });

  it('when PORT names the monolith’s port, then JEEVES_URL is not needed', async () => {
    const service = await startUsers({ PORT: String(monolith.port), TOKENS_SERVICE_URL: nowhere });

    const res = await listUsers(service, await monolithTokenFor(h.jeeves.app, SECRET, 'users'));
    expect(res.status).toBe(200);
  });

  it('when no place answers with keys, then /readyz is 503 naming the keys and each URL, and a valid token gets 503, not 401', async () => {
    const service = await startUsers({ JEEVES_URL: nowhere, TOKENS_SERVICE_URL: nowhere });

    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; failing: Record<string, string> };
    expect(body).toEqual({ status: 'not ready', failing: { keys: expect.stringContaining(`${nowhere}/.well-known/jwks.json: ECONNREFUSED`) } });
    const res = await listUsers(service, await monolithTokenFor(h.jeeves.app, SECRET, 'users'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: expect.objectContaining({ code: 'AUTH.KEYS_UNAVAILABLE' }) });
  });

  it('when TOKENS_JWKS_URL is set, then it alone is asked, even with the monolith at JEEVES_URL', async () => {
    const service = await startUsers({ JEEVES_URL: `http://127.0.0.1:${monolith.port}`, TOKENS_JWKS_URL: `${nowhere}/.well-known/jwks.json` });

    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', failing: { keys: expect.stringContaining(nowhere) } });
  });
});

describe('a service beside an extracted tokens service, with no monolith answering', () => {
  let tokens: TokensStack;
  let service: RunningService;
  beforeAll(async () => {
    tokens = await startTokensStack();
    service = await start(usersService, { DATABASE_URL: tokens.db.url, JEEVES_URL: await closedPortUrl(), TOKENS_SERVICE_URL: tokens.service.url });
  });
  afterAll(async () => {
    await service?.close();
    await tokens?.close();
  });

  it('when started with TOKENS_SERVICE_URL, then it is ready and accepts the tokens service’s tokens', async () => {
    const provider = createServiceTokenProvider({
      tokenUrl: `${tokens.service.url}/oauth/token`,
      clientId: 'caller-of-users',
      clientSecret: await tokens.register('caller-of-users', ['users']),
      audience: 'users',
    });

    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const res = await fetch(`${service.url}/api/users?limit=1`, { headers: await provider.headers() });
    expect(res.status).toBe(200);
  });
});
