import request from 'supertest';
import { MONOLITH_CLIENT_ID } from '../../src/monolith/wire-switched-modules';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { basicAuth, monolithTokenFor } from '../support/service-tokens';

/**
 * The monolith's module APIs have the same door as the extracted services: a service token
 * for the module's audience. Knocked on as a stranger would, in production and in development,
 * and the rightful caller still gets in. POST /oauth/token counts tries per client id and per IP.
 */

jest.setTimeout(60_000);

const SECRET = 'the-monolith-service-client-secret-for-this-test';

/** Every route of /api/users and /api/weather, with a body where it takes one. */
const ROUTES: Array<{ method: 'get' | 'put' | 'post' | 'delete'; path: string; body?: object }> = [
  { method: 'get', path: '/api/users' },
  { method: 'get', path: '/api/users/T0001/U0001' },
  { method: 'put', path: '/api/users/T0001/U0001', body: { displayName: 'Mallory' } },
  { method: 'put', path: '/api/users/T0001/U0001/location', body: { name: 'Paris', latitude: 48.85, longitude: 2.35, timezone: 'Europe/Paris' } },
  { method: 'get', path: '/api/users/T0001/U0001/settings' },
  { method: 'get', path: '/api/users/T0001/U0001/settings/units' },
  { method: 'put', path: '/api/users/T0001/U0001/settings/units', body: { value: 'imperial' } },
  { method: 'delete', path: '/api/users/T0001/U0001/settings/units' },
  { method: 'get', path: '/api/weather?place=Paris' },
  { method: 'get', path: '/api/weather/geocode?place=Paris' },
  { method: 'post', path: '/api/weather/current', body: { name: 'Paris', latitude: 48.85, longitude: 2.35 } },
];

const tokenFor = (h: JeevesHarness, audience: string) => monolithTokenFor(h.jeeves.app, SECRET, audience);

function call(h: JeevesHarness, route: (typeof ROUTES)[number]) {
  const req = request(h.jeeves.app)[route.method](route.path);
  return route.body ? req.send(route.body) : req;
}

describe.each(['production', 'development'])('the monolith in %s', (mode) => {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness({ NODE_ENV: mode, SESSION_SECRET: 'a-session-secret-for-the-test', SERVICE_CLIENT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=' });
  });
  afterAll(() => h?.close());

  it.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('when a stranger calls %s, then 401 and nothing changes', async (_name, route) => {
    const res = await call(h, route);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'AUTH.INVALID_TOKEN' }) });
    await expect(h.jeeves.users.list({ limit: 10 })).resolves.toEqual(expect.objectContaining({ items: [] }));
  });

  it('when the caller holds a users token, then it reads and writes members', async () => {
    const token = await tokenFor(h, 'users');
    const put = await request(h.jeeves.app).put('/api/users/T0001/U0002').set('authorization', `Bearer ${token}`).send({ displayName: 'Ada' });
    expect(put.status).toBe(200);
    const list = await request(h.jeeves.app).get('/api/users').set('authorization', `Bearer ${token}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ teamId: 'T0001', userId: 'U0002', displayName: 'Ada' })]);
  });

  it('when the caller holds a weather token, then /api/users still refuses it (wrong audience)', async () => {
    const res = await request(h.jeeves.app).get('/api/users').set('authorization', `Bearer ${await tokenFor(h, 'weather')}`);
    expect(res.status).toBe(401);
    expect(res.body.error.details).toEqual({ reason: 'wrong_audience' });
  });
});

describe('POST /oauth/token rate limits', () => {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness({ SERVICE_CLIENT_SECRET: SECRET });
  });
  afterAll(() => h?.close());

  const guess = (clientId: string, secret: string) =>
    request(h.jeeves.app).post('/oauth/token').set('authorization', basicAuth(clientId, secret)).type('form').send({ grant_type: 'client_credentials', audience: 'users' });

  it('when one client id is guessed at speed, then 429 with Retry-After, and another client still gets its token', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 61; i++) answers.push((await guess('jeeves-guessed', `wrong-${i}`)).status);
    expect(answers.slice(0, 60).every((status) => status === 401)).toBe(true);
    const limited = await guess('jeeves-guessed', 'the-right-one-even');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The token endpoint answers in OAuth's error shape, with the app's code beside it.
    expect(limited.body).toEqual(expect.objectContaining({ code: 'HTTP.RATE_LIMITED' }));

    const rightful = await guess(MONOLITH_CLIENT_ID, SECRET);
    expect(rightful.status).toBe(200);
    expect(rightful.body.access_token).toEqual(expect.any(String));
  });

  it('when one IP tries many client ids, then it is limited per IP too', async () => {
    const statuses: number[] = [];
    // 61 tries above and 1 rightful call already count against this IP's 120 a minute.
    for (let i = 0; i < 60; i++) statuses.push((await guess(`jeeves-other-${i}`, 'wrong')).status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.slice(0, 50).every((status) => status === 401)).toBe(true);
  });
});
