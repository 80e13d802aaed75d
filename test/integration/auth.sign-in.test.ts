import request from 'supertest';
import { sessionCookie, setCookieHeader, signIn, slackRedirectFor, startAuthTestApp, type AuthTestApp } from '../support/auth-app';

/**
 * Sign in with Slack end to end: Jeeves' /login, the OpenID stand-in's authorize page,
 * token and userInfo methods and keys, the callback, the session in PostgreSQL.
 */

let t: AuthTestApp;
beforeAll(async () => {
  t = await startAuthTestApp();
});
afterAll(() => t?.close());

const sessionRows = async () => Number(((await t.database.dataSource.query('SELECT count(*) AS n FROM auth_sessions')) as Array<{ n: string }>)[0]!.n);

describe('a full sign-in', () => {
  it('when a member signs in, then /login sends them to Slack with scope, client id, redirect URI, state and nonce', async () => {
    const res = await request(t.app).get('/login').expect(302);
    const location = new URL(res.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(t.slack.openIdUrl);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      response_type: 'code',
      scope: 'openid profile email',
      client_id: t.slack.clientId,
      redirect_uri: 'http://localhost:3000/auth/slack/callback',
      state: expect.stringMatching(/^[\w-]{43}$/),
      nonce: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when Slack sends them back, then they are signed in as that Slack member, in a session kept in PostgreSQL', async () => {
    const agent = request.agent(t.app);
    const callback = await signIn(agent, 'U0ALICE');
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/me');
    expect((await agent.get('/me').expect(200)).text).toContain('Hello Alice Example');
    const session = await agent.get('/api/auth/session').expect(200);
    expect(session.body).toEqual({
      member: { teamId: 'T0STANDIN', userId: 'U0ALICE', name: 'Alice Example', email: 'alice@example.com' },
      roles: [],
      csrfToken: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const sid = decodeURIComponent(sessionCookie(callback)!.split('=')[1]!).slice(2).split('.')[0];
    const [row] = (await t.database.dataSource.query('SELECT sess FROM auth_sessions WHERE sid = $1', [sid])) as Array<{ sess: { passport: { user: unknown } } }>;
    expect(row?.sess.passport.user).toEqual({ teamId: 'T0STANDIN', userId: 'U0ALICE', name: 'Alice Example', email: 'alice@example.com' });
  });

  it('when another process of the deployment gets the cookie, then it knows the member too (no memory store)', async () => {
    const agent = request.agent(t.app);
    const cookie = sessionCookie(await signIn(agent, 'U0BOB'))!;
    const other = t.another();
    const res = await request(other.app).get('/api/me').set('cookie', cookie).expect(200);
    expect(res.body).toEqual({ member: expect.objectContaining({ teamId: 'T0STANDIN', userId: 'U0BOB' }) });
  });

  it("when a person picks a pretend member on the stand-in's authorize page, then they are signed in as that member", async () => {
    const agent = request.agent(t.app);
    const login = await agent.get('/login').expect(302);
    const page = await fetch(login.headers.location!);
    const links = [...(await page.text()).matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ href: m[1]!.replaceAll('&#38;', '&'), name: m[2] }));
    expect(links.map((l) => l.name)).toEqual(['Alice Example', 'Bob Example', 'Carol Example', 'Cancel']);
    const picked = await fetch(new URL(links[2]!.href, login.headers.location!), { redirect: 'manual' });
    const callback = new URL(picked.headers.get('location')!);
    await agent.get(`${callback.pathname}${callback.search}`).expect(303);
    expect((await agent.get('/api/me').expect(200)).body.member).toMatchObject({ teamId: 'T0OTHER', userId: 'U0CAROL' });
  });

  it('when the sign-in started from a page, then it ends there; a next= pointing off the site ends at /me', async () => {
    const back = await signIn(request.agent(t.app), 'U0ALICE', '/login?next=%2Fadmin%2Fmodules%3Fview%3Dall');
    expect(back.headers.location).toBe('/admin/modules?view=all');
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
      const res = await signIn(request.agent(t.app), 'U0ALICE', `/login?next=${encodeURIComponent(next)}`);
      expect(res.headers.location).toBe('/me');
    }
  });
});

describe('callbacks that sign nobody in', () => {
  /** Starts a sign-in in `agent` and answers the callback path Slack would send it to. */
  async function startedSignIn(agent: ReturnType<typeof request.agent>, change?: (url: URL) => void): Promise<string> {
    const login = await agent.get('/login').expect(302);
    return slackRedirectFor(login.headers.location!, 'U0ALICE', change);
  }

  async function expectSignedOut(agent: ReturnType<typeof request.agent>) {
    await agent.get('/api/me').expect(401);
  }

  it('when the state is forged, then 403, Slack is not asked for a token, and nobody is signed in', async () => {
    const agent = request.agent(t.app);
    const callback = await startedSignIn(agent);
    const forged = callback.replace(/state=[^&]+/, 'state=forged-state-of-the-attacker');
    const calls = t.slack.tokenCalls();
    const res = await agent.get(forged);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Sign-in rejected: the state is not one this browser started');
    expect(t.slack.tokenCalls()).toBe(calls);
    await expectSignedOut(agent);
  });

  it('when the state is missing, then 403 and nobody is signed in', async () => {
    const agent = request.agent(t.app);
    const callback = await startedSignIn(agent);
    const res = await agent.get(callback.replace(/&?state=[^&]+/, ''));
    expect(res.status).toBe(403);
    expect(res.text).toContain('the callback carried no state');
    await expectSignedOut(agent);
  });

  it('when the callback comes from another browser than the one that started it, then 403 (login CSRF)', async () => {
    const attackers = await startedSignIn(request.agent(t.app));
    const victim = request.agent(t.app);
    await victim.get('/login').expect(302);
    expect((await victim.get(attackers)).status).toBe(403);
    await expectSignedOut(victim);
  });

  it('when a used callback is replayed, then 403 and Slack is not asked again', async () => {
    const agent = request.agent(t.app);
    const callback = await startedSignIn(agent);
    await agent.get(callback).expect(303);
    await agent.get('/login').expect(302);
    const calls = t.slack.tokenCalls();
    const replay = await agent.get(callback);
    expect(replay.status).toBe(403);
    expect(replay.text).toContain('was used already');
    expect(t.slack.tokenCalls()).toBe(calls);
  });

  it('when a callback failed, then its state cannot be tried again in the same session', async () => {
    const agent = request.agent(t.app);
    const callback = await startedSignIn(agent);
    expect((await agent.get(callback.replace(/code=[^&]+/, 'code=not-a-code-slack-gave'))).status).toBe(400);
    const calls = t.slack.tokenCalls();
    const again = await agent.get(callback);
    expect(again.status).toBe(403);
    expect(again.text).toContain('was used already');
    expect(t.slack.tokenCalls()).toBe(calls);
    await expectSignedOut(agent);
  });

  it('when a code is used twice (with a fresh state of this browser), then Slack refuses it and the answer is 400', async () => {
    const first = request.agent(t.app);
    const callback = await startedSignIn(first);
    await first.get(callback).expect(303);
    const code = new URL(callback, 'http://x').searchParams.get('code')!;

    const second = request.agent(t.app);
    const fresh = await startedSignIn(second);
    const res = await second.get(fresh.replace(/code=[^&]+/, `code=${encodeURIComponent(code)}`));
    expect(res.status).toBe(400);
    expect(res.text).toContain('invalid_code');
    await expectSignedOut(second);
  });

  it.each([
    ['carries the nonce of another sign-in', {}, (url: URL) => url.searchParams.set('nonce', 'a-nonce-of-another-sign-in'), 'answers another sign-in (nonce)'],
    ['is signed by a key Slack does not publish', { foreignKey: true }, undefined, 'signature does not verify'],
    ['is meant for another app', { claims: { aud: '9999999999.9999999999' } }, undefined, 'meant for another app'],
    ['was not issued by Slack', { claims: { iss: 'https://evil.example' } }, undefined, 'not issued by Slack'],
  ])('when the id_token %s, then 403 and nobody is signed in', async (_what, tampering, change, reason) => {
    const agent = request.agent(t.app);
    const callback = await startedSignIn(agent, change);
    t.slack.tamperNextIdToken(tampering);
    const res = await agent.get(callback);
    expect(res.status).toBe(403);
    expect(res.text).toContain(reason);
    await expectSignedOut(agent);
  });

  it('when the member cancels on Slack, then 400 saying so', async () => {
    const res = await request(t.app).get('/auth/slack/callback?error=access_denied&state=x');
    expect(res.status).toBe(400);
    expect(res.text).toContain('access_denied');
  });

  it('when the callback has no code, then 400', async () => {
    expect((await request(t.app).get('/auth/slack/callback?state=x')).status).toBe(400);
  });
});

describe('the session id', () => {
  it('when a member signs in, then the cookie from before is worth nothing after (no fixation)', async () => {
    const agent = request.agent(t.app);
    const login = await agent.get('/login').expect(302);
    const before = sessionCookie(login)!;
    expect(before).toBeDefined();
    const callback = await agent.get(await slackRedirectFor(login.headers.location!, 'U0ALICE')).expect(303);
    const after = sessionCookie(callback)!;
    expect(after).not.toBe(before);
    await request(t.app).get('/api/me').set('cookie', after).expect(200);
    const planted = await request(t.app).get('/api/me').set('cookie', before);
    expect(planted.status).toBe(401);
  });

  it('when the member signs out, then the session is gone from PostgreSQL and its cookie no longer works', async () => {
    const agent = request.agent(t.app);
    const cookie = sessionCookie(await signIn(agent))!;
    const form = await agent.get('/logout').expect(200);
    const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(form.text)![1]!;
    const rows = await sessionRows();
    const out = await agent.post('/logout').type('form').send({ _csrf: csrf });
    expect(out.status).toBe(200);
    expect(out.text).toContain('You are signed out');
    expect(setCookieHeader(out)).toMatch(/^jeeves\.sid=;.*Expires=Thu, 01 Jan 1970/);
    expect(await sessionRows()).toBe(rows - 1);
    expect((await request(t.app).get('/api/me').set('cookie', cookie)).status).toBe(401);
  });

  it('when a signed-in member is sent to POST /logout from elsewhere (no CSRF token), then 403 and they stay signed in', async () => {
    const agent = request.agent(t.app);
    await signIn(agent);
    const res = await agent.post('/logout').type('form').send({});
    expect(res.status).toBe(403);
    await agent.get('/api/me').expect(200);
  });

  it('when GET /logout is opened (a link, an image), then it only shows the sign-out form', async () => {
    const agent = request.agent(t.app);
    await signIn(agent);
    const page = await agent.get('/logout').expect(200);
    expect(page.text).toContain('<form method="post" action="/logout">');
    await agent.get('/api/me').expect(200);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and not Secure on an http PUBLIC_URL', async () => {
    const header = setCookieHeader(await request(t.app).get('/login').expect(302));
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header).not.toMatch(/; Secure/);
  });

  it('is Secure when PUBLIC_URL is https (behind the TLS terminator)', async () => {
    const secure = t.another('https://jeeves.example.com');
    const res = await request(secure.app).get('/login').set('x-forwarded-proto', 'https').expect(302);
    expect(new URL(res.headers.location!).searchParams.get('redirect_uri')).toBe('https://jeeves.example.com/auth/slack/callback');
    const header = setCookieHeader(res);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
  });

  it('is not set for a stranger who only looks around', async () => {
    const res = await request(t.app).get('/api/me');
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
