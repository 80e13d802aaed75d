import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createRoles } from '../../src/modules/auth';
import { createUsersHttpClient } from '../../src/modules/users';
import { createWeatherHttpClient } from '../../src/modules/weather';
import { ADMIN_API_ROUTES } from '../../src/monolith/wire-openapi';
import { ADMIN_CLIENT_ID } from '../../src/monolith/wire-switched-modules';
import { createOpenApiResponseValidator } from '../../src/platform/openapi';
import { listen, type ListeningServer } from '../../src/platform/server';
import { ADMIN_AUDIENCE } from '../../src/platform/service-auth';
import { sessionCookie, signIn } from '../support/auth-app';
import type { JeevesHarness } from '../support/jeeves-harness';
import { expressRoutes } from '../support/express-routes';
import { openApiValidity } from '../support/openapi-validity';
import { basicAuth, clientTokenFor, monolithTokenFor } from '../support/service-tokens';
import { startSignInHarness } from '../support/sign-in-harness';
import { exerciseUsersApi, startCheckingProxy, type CheckingProxy } from './extracted.support';

/**
 * The monolith's GET /openapi.json: a valid OpenAPI 3.1 document, and every operation in it,
 * called for real through a proxy that checks each answer against it.
 */

jest.setTimeout(60_000);

const SECRET = 'the-monolith-service-client-secret-of-40';
const ADMIN_SECRET = 'the-operators-admin-client-secret-of-40-chars';
const slackId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
const sorted = (values: Iterable<string>) => [...values].sort();

let slack: SlackApiStandIn;
let h: JeevesHarness;
let server: ListeningServer;
let proxy: CheckingProxy;
let base: string;

beforeAll(async () => {
  ({ h, slack } = await startSignInHarness({ SERVICE_CLIENT_SECRET: SECRET, ADMIN_CLIENT_SECRET: ADMIN_SECRET }));
  await createRoles(h.database.dataSource).grant({ teamId: 'T0STANDIN', userId: 'U0ALICE', role: 'operator', grantedBy: 'command' });
  server = await listen(h.jeeves.app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}`;
  proxy = await startCheckingProxy(base);
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await h?.close();
  await slack?.close();
});

const documentOf = async () => (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { security?: unknown }>> };

it('GET /openapi.json answers, without credentials, a valid OpenAPI 3.1 document', async () => {
  const res = await fetch(`${base}/openapi.json`);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { openapi: string };
  expect(doc.openapi).toBe('3.1.0');
  expect(await openApiValidity(doc)).toEqual({ valid: true });
});

it('the validity check refuses a broken document (so the test above can fail)', async () => {
  const doc = await documentOf();
  expect((await openApiValidity({ ...doc, info: undefined })).valid).toBe(false);
});

it('documents every JSON route the monolith mounts: under /api, and the token endpoints', async () => {
  const validator = createOpenApiResponseValidator(await documentOf());
  const served = expressRoutes(h.jeeves.app).filter((route) => / \/(api|oauth|\.well-known)\//.test(route));
  expect(served.length).toBeGreaterThan(10);
  expect(sorted(served)).toEqual(sorted(validator.operations()));
});

it('documents each route with its door: service token for modules, session or admin token for admin, none for tokens', async () => {
  const doc = await documentOf();
  expect(doc.paths['/api/users/{teamId}/{userId}']?.get?.security).toEqual([{ serviceToken: [] }]);
  expect(doc.paths['/api/weather/geocode']?.get?.security).toEqual([{ serviceToken: [] }]);
  expect(doc.paths['/api/admin/modules']?.get?.security).toEqual([{ session: [] }, { serviceToken: [] }]);
  expect(doc.paths['/api/admin/queues']?.get?.security).toEqual([{ session: [] }, { serviceToken: [] }]);
  expect(doc.paths['/api/auth/session']?.get?.security).toEqual([{ session: [] }]);
  expect(doc.paths['/oauth/token']?.post?.security).toBeUndefined();
});

it('every documented operation, called for real, answers as documented', async () => {
  const usersToken = await monolithTokenFor(h.jeeves.app, SECRET, 'users');
  const weatherToken = await monolithTokenFor(h.jeeves.app, SECRET, 'weather');
  const adminToken = await clientTokenFor(h.jeeves.app, ADMIN_CLIENT_ID, ADMIN_SECRET, ADMIN_AUDIENCE);

  // users, as the extracted service's client calls it
  const users = createUsersHttpClient({ baseUrl: proxy.url, headers: async () => ({ authorization: `Bearer ${usersToken}` }) });
  const ref = { teamId: slackId('T'), userId: slackId('U') };
  await exerciseUsersApi(users, ref, { teamId: slackId('T'), userId: slackId('U') });
  expect((await fetch(`${proxy.url}/api/users/${ref.teamId}/${ref.userId}`)).status).toBe(401);
  await expect(users.forget(ref)).resolves.toBe(true);

  // weather
  const weather = createWeatherHttpClient({ baseUrl: proxy.url, headers: async () => ({ authorization: `Bearer ${weatherToken}` }), timeoutMs: 3000 });
  await weather.current(await weather.geocode('Paris'));
  await weather.currentFor('London');
  await expect(weather.geocode('Nowhere-at-all')).rejects.toMatchObject({ code: 'WEATHER.PLACE_NOT_FOUND' });

  // tokens
  const form = (auth: string) =>
    fetch(`${proxy.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
      body: `grant_type=client_credentials&audience=${ADMIN_AUDIENCE}`,
    });
  expect((await form(basicAuth(ADMIN_CLIENT_ID, ADMIN_SECRET))).status).toBe(200);
  expect((await form(basicAuth(ADMIN_CLIENT_ID, 'wrong'))).status).toBe(401);
  expect((await fetch(`${proxy.url}/.well-known/jwks.json`)).status).toBe(200);

  // the session, with an operator's cookie; the admin twins with it and with an admin token
  const cookie = sessionCookie(await signIn(request.agent(h.jeeves.app), 'U0ALICE'))!;
  expect(cookie).toBeDefined();
  expect((await fetch(`${proxy.url}/api/auth/session`, { headers: { cookie } })).status).toBe(200);
  expect((await fetch(`${proxy.url}/api/auth/session`)).status).toBe(401);
  // Every admin read without a path parameter, as listed for the document: a new one is called here by itself.
  const adminReads = ADMIN_API_ROUTES.filter((route) => route.method === 'get' && !route.path.includes('{')).map((route) => route.path);
  expect(adminReads).toEqual(expect.arrayContaining(['/api/admin/modules', '/api/admin/queues', '/api/admin/deliveries']));
  for (const path of adminReads) {
    expect((await fetch(`${proxy.url}${path}`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${proxy.url}${path}`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
    expect((await fetch(`${proxy.url}${path}`)).status).toBe(401);
  }
  const member = sessionCookie(await signIn(request.agent(h.jeeves.app), 'U0CAROL'))!;
  expect((await fetch(`${proxy.url}/api/admin/modules`, { headers: { cookie: member } })).status).toBe(403);
  expect((await fetch(`${proxy.url}/api/admin/deliveries?limit=0`, { headers: { cookie } })).status).toBe(400);

  // The admin actions, with the admin token (a session would also need X-CSRF-Token).
  const asAdmin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const post = (path: string, body?: unknown) => fetch(`${proxy.url}${path}`, { method: 'POST', headers: asAdmin, ...(body ? { body: JSON.stringify(body) } : {}) });
  expect((await post('/api/admin/modules/weather/placement', { placement: 'local' })).status).toBe(200);
  expect((await post('/api/admin/modules/nowhere/placement', { placement: 'local' })).status).toBe(404);
  expect((await post('/api/admin/modules/weather/placement', { placement: 'remote', rollout: 150 })).status).toBe(400);
  expect((await post('/api/admin/dead-letters/999999/retry')).status).toBe(404);
  expect((await post('/api/admin/dead-letters/999999/discard')).status).toBe(404);
  expect((await post('/api/admin/members/T0STANDIN/U0DAVE/promote')).status).toBe(200);
  expect((await post('/api/admin/members/T0STANDIN/U0CAROL/promote')).status).toBe(200);
  expect((await post('/api/admin/members/T0STANDIN/U0CAROL/demote')).status).toBe(200);
  expect((await post('/api/admin/members/T0STANDIN/U0DAVE/demote')).status).toBe(409);

  const validator = createOpenApiResponseValidator(await documentOf());
  expect(sorted(proxy.seen)).toEqual(sorted(validator.operations()));
  expect(proxy.violations).toEqual([]);
});
