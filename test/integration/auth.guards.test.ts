import request from 'supertest';
import { signIn, startAuthTestApp, type Agent, type AuthTestApp } from '../support/auth-app';

/**
 * Every door twice: a knock by someone who may not pass, and the rightful user getting in.
 * Pages answer with a redirect or an HTML page, /api with {"error": {"code", "message"}}.
 */

let t: AuthTestApp;
let member: Agent;
let adminA: Agent;
let operator: Agent;

beforeAll(async () => {
  t = await startAuthTestApp();
  // Alice is a member of T0STANDIN only; Bob is its admin; Carol (of T0OTHER) is an operator.
  await t.auth.roles.grant({ teamId: 'T0STANDIN', userId: 'U0BOB', role: 'admin', grantedBy: 'install' });
  await t.auth.roles.grant({ teamId: 'T0OTHER', userId: 'U0CAROL', role: 'operator', grantedBy: 'command' });
  member = request.agent(t.app);
  adminA = request.agent(t.app);
  operator = request.agent(t.app);
  await signIn(member, 'U0ALICE');
  await signIn(adminA, 'U0BOB');
  await signIn(operator, 'U0CAROL');
});
afterAll(() => t?.close());

const csrfOf = async (agent: Agent) => ((await agent.get('/api/auth/session').expect(200)).body as { csrfToken: string }).csrfToken;

const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });

describe('a stranger', () => {
  it('on a page, then 302 to /login, coming back to the page afterwards', async () => {
    const res = await request(t.app).get('/me?tab=settings');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fme%3Ftab%3Dsettings');
  });

  it.each(['/api/me', '/api/admin/modules', '/api/admin/workspaces/T0STANDIN/members', '/api/auth/session'])('on %s, then 401 in the JSON error shape', async (path) => {
    const res = await request(t.app).get(path);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(errorBody('AUTH.SIGN_IN_REQUIRED'));
  });

  it('posting to the API, then 401 (not a CSRF 403: there is no session to forge)', async () => {
    const res = await request(t.app).post('/api/me/things').send({ x: 1 });
    expect(res.status).toBe(401);
  });

  it('with a cookie that is not a session, then still a stranger', async () => {
    expect((await request(t.app).get('/api/me').set('cookie', 'jeeves.sid=s%3Aforged.c2lnbmF0dXJl')).status).toBe(401);
  });
});

describe('a member', () => {
  it('reads their own page and API', async () => {
    await member.get('/me').expect(200);
    expect((await member.get('/api/me').expect(200)).body).toEqual({ member: expect.objectContaining({ teamId: 'T0STANDIN', userId: 'U0ALICE' }) });
  });

  it('on an admin route, then 403 on the API and a 403 page', async () => {
    const api = await member.get('/api/admin/workspaces/T0STANDIN/members');
    expect(api.status).toBe(403);
    expect(api.body).toEqual(errorBody('AUTH.FORBIDDEN'));
    const page = await member.get('/admin/workspaces/T0STANDIN');
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Only an admin of this workspace may do this.');
  });
});

describe('a workspace admin', () => {
  it('administers their own workspace, on the page and the API', async () => {
    await adminA.get('/admin/workspaces/T0STANDIN').expect(200);
    expect((await adminA.get('/api/admin/workspaces/T0STANDIN/members').expect(200)).body).toEqual({ teamId: 'T0STANDIN', members: [] });
  });

  it('of workspace A on workspace B, then 403 on the API and the page', async () => {
    const api = await adminA.get('/api/admin/workspaces/T0OTHER/members');
    expect(api.status).toBe(403);
    expect(api.body).toEqual({ error: { code: 'AUTH.FORBIDDEN', message: 'A workspace admin acts on their own workspace only.' } });
    expect((await adminA.get('/admin/workspaces/T0OTHER')).status).toBe(403);
  });

  it('who is not an operator, on an operator route, then 403 on the API and the page', async () => {
    const api = await adminA.get('/api/admin/modules');
    expect(api.status).toBe(403);
    expect(api.body).toEqual(errorBody('AUTH.FORBIDDEN'));
    expect((await adminA.get('/admin/modules')).status).toBe(403);
    const move = await adminA.post('/api/admin/modules/users/placement').set('x-csrf-token', await csrfOf(adminA)).send({ placement: 'remote' });
    expect(move.status).toBe(403);
  });

  it('whose role is revoked, then 403 at the next request (roles are not kept in the session)', async () => {
    await t.auth.roles.grant({ teamId: 'T0STANDIN', userId: 'U0ALICE', role: 'admin', grantedBy: { teamId: 'T0STANDIN', userId: 'U0BOB' } });
    await member.get('/api/admin/workspaces/T0STANDIN/members').expect(200);
    await t.auth.roles.revoke('T0STANDIN', 'U0ALICE', 'admin');
    await member.get('/api/admin/workspaces/T0STANDIN/members').expect(403);
  });
});

describe('an operator', () => {
  it('runs the deployment and sees every workspace', async () => {
    await operator.get('/admin/modules').expect(200);
    await operator.get('/api/admin/modules').expect(200);
    await operator.get('/api/admin/workspaces/T0STANDIN/members').expect(200);
    await operator.get('/admin/workspaces/T0STANDIN').expect(200);
  });
});

describe('a service token on /api/admin', () => {
  it('of audience admin, then in (operator rights), with no session and no CSRF token', async () => {
    const token = await t.serviceToken('admin');
    await request(t.app).get('/api/admin/modules').set('authorization', `Bearer ${token}`).expect(200);
    await request(t.app).get('/api/admin/workspaces/T0OTHER/members').set('authorization', `Bearer ${token}`).expect(200);
    const move = await request(t.app).post('/api/admin/modules/users/placement').set('authorization', `Bearer ${token}`).send({ placement: 'remote' });
    expect(move.status).toBe(200);
    expect(move.body).toEqual({ module: 'users', placement: 'remote' });
  });

  it('of another audience, then 401 AUTH.INVALID_TOKEN', async () => {
    const res = await request(t.app).get('/api/admin/modules').set('authorization', `Bearer ${await t.serviceToken('users')}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'AUTH.INVALID_TOKEN', details: { reason: 'wrong_audience' } }) });
  });

  it("that is junk, sent with an operator's session cookie, then 401: a Bearer request is judged by its token alone", async () => {
    const res = await operator.get('/api/admin/modules').set('authorization', 'Bearer not.a.token');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'AUTH.INVALID_TOKEN' }) });
  });

  it('on a route that takes no service token, then the Bearer request is no member: 401', async () => {
    const res = await operator.post('/api/me/things').set('authorization', `Bearer ${await t.serviceToken('admin')}`).send({});
    expect(res.status).toBe(401);
  });
});

describe('CSRF', () => {
  it('a cookie-authenticated JSON call without the token, then 403 AUTH.CSRF', async () => {
    const res = await member.post('/api/me/things').send({ x: 1 });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(errorBody('AUTH.CSRF'));
  });

  it('with a wrong token, then 403', async () => {
    const res = await member.post('/api/me/things').set('x-csrf-token', 'f'.repeat(64)).send({ x: 1 });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(errorBody('AUTH.CSRF'));
  });

  it("with another member's token, then 403", async () => {
    const res = await member.post('/api/me/things').set('x-csrf-token', await csrfOf(adminA)).send({ x: 1 });
    expect(res.status).toBe(403);
  });

  it('with the right token in X-CSRF-Token, then 200', async () => {
    const res = await member.post('/api/me/things').set('x-csrf-token', await csrfOf(member)).send({ x: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ saved: true });
  });

  it('a form post without _csrf, then a 403 page; with it, then 200', async () => {
    const without = await member.post('/me/things').type('form').send({ name: 'x' });
    expect(without.status).toBe(403);
    expect(without.headers['content-type']).toMatch(/^text\/html/);
    expect(without.text).toContain('CSRF');
    const withToken = await member.post('/me/things').type('form').send({ name: 'x', _csrf: await csrfOf(member) });
    expect(withToken.status).toBe(200);
  });

  it('an operator moving a module from the admin page without the token, then 403; with it, then 200', async () => {
    expect((await operator.post('/api/admin/modules/users/placement').send({ placement: 'remote' })).status).toBe(403);
    const res = await operator.post('/api/admin/modules/users/placement').set('x-csrf-token', await csrfOf(operator)).send({ placement: 'remote' });
    expect(res.status).toBe(200);
  });

  it("after signing in again, then the token of the old session no longer counts", async () => {
    const agent = request.agent(t.app);
    await signIn(agent, 'U0ALICE');
    const old = await csrfOf(agent);
    await signIn(agent, 'U0ALICE');
    expect((await agent.post('/api/me/things').set('x-csrf-token', old).send({})).status).toBe(403);
    expect((await agent.post('/api/me/things').set('x-csrf-token', await csrfOf(agent)).send({})).status).toBe(200);
  });
});
