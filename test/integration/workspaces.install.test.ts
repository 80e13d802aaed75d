import request from 'supertest';
import { BOT_SCOPES } from '../../src/modules/workspaces/workspaces.service';
import { INSTALL_STATE_TTL_MS } from '../../src/modules/workspaces/workspaces.install-states';
import { beginInstall, install, installationRows, PUBLIC_URL, startWorkspacesStack, type WorkspacesStack } from '../support/workspaces-stack';

/** "Add to Slack" end to end: Jeeves' routes, the Slack stand-in's authorize page and oauth.v2.access, PostgreSQL. */
let stack: WorkspacesStack;
beforeEach(async () => {
  stack = await startWorkspacesStack();
});
afterEach(() => stack.close());

describe('Add to Slack', () => {
  it('GET /install sends the browser to Slack with the bot scopes, the redirect URI and a state, and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await request(stack.app).get('/install').expect(302);
    const to = new URL(res.headers.location as string);
    expect(`${to.origin}${to.pathname}`).toBe(stack.slack.oauthUrl);
    expect(to.searchParams.get('client_id')).toBe(stack.slack.oauth.clientId);
    expect(to.searchParams.get('scope')!.split(',').sort()).toEqual([...BOT_SCOPES].sort());
    expect(to.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/slack/oauth_redirect`);
    expect(to.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    expect(cookie).toMatch(/^jeeves_install=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/slack/oauth_redirect');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('a full install stores the workspace with its token sealed, answers a success page and reports the installer', async () => {
    const res = await install(stack, { team: 'T9TK3CUKW', teamName: 'Slack <Softball> Team', user: 'U1234' });

    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('Jeeves is in Slack &lt;Softball&gt; Team');
    const token = stack.slack.oauth.currentToken('T9TK3CUKW')!;
    const [row] = await installationRows(stack);
    expect(row).toMatchObject({
      team_id: 'T9TK3CUKW',
      team_name: 'Slack <Softball> Team',
      installer_user_id: 'U1234',
      bot_user_id: 'U0BOT9TK3CUKW',
      app_id: 'A0KRD7HC3',
      scopes: [...BOT_SCOPES],
      refresh_token: null,
      token_expires_at: null,
      uninstalled_at: null,
    });
    expect(row!.bot_token).not.toContain(token);
    expect(row!.bot_token).toMatch(new RegExp(`^v1\\.${stack.keyring.currentKeyId}\\.`));
    expect(await stack.workspaces.botTokenFor('T9TK3CUKW')).toBe(token);
    expect(stack.installed).toEqual([expect.objectContaining({ teamId: 'T9TK3CUKW', installerUserId: 'U1234', tokenRotation: false })]);
    expect(stack.logs.join('')).not.toContain(token);
  });

  it('a person in a browser gets Slack\'s Allow page, and Allow brings them back with a code that installs', async () => {
    const start = await request(stack.app).get('/install').expect(302);
    const cookie = (start.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    const authorizePage = await (await fetch(start.headers.location as string)).text();
    expect(authorizePage).toContain('<button type="submit">Allow</button>');
    const form = new URL(/<form method="get" action="([^"]+)"/.exec(authorizePage)![1]!, stack.slack.oauthUrl);
    for (const [, name, value] of authorizePage.matchAll(/<input (?:type="hidden" )?(?:id="[^"]+" )?name="([^"]+)" value="([^"]*)">/g)) form.searchParams.set(name!, value!);

    const allowed = await fetch(form, { redirect: 'manual' });
    const back = new URL(allowed.headers.get('location')!);
    const res = await request(stack.app).get(`${back.pathname}${back.search}`).set('cookie', cookie);

    expect(res.status).toBe(200);
    expect(res.text).toContain('Jeeves is in Stand-in Workspace');
  });

  it('a token read from another process comes from the database, not the installing process memory', async () => {
    await install(stack, { team: 'T1' }).then((r) => expect(r.status).toBe(200));
    const elsewhere = await stack.anotherProcess();
    expect(await elsewhere.botTokenFor('T1')).toBe(stack.slack.oauth.currentToken('T1'));
  });

  it('a reinstall updates the same row, clears an uninstall and reports the new installer', async () => {
    await install(stack, { team: 'T1', teamName: 'Old name', user: 'U1' });
    await stack.workspaces.uninstalled('T1');
    stack.slack.oauth.revokeTeam('T1');
    const [before] = await installationRows(stack);
    stack.clock.now += 60_000;

    const res = await install(stack, { team: 'T1', teamName: 'New name', user: 'U2' });

    expect(res.status).toBe(200);
    const rows = await installationRows(stack);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ team_name: 'New name', installer_user_id: 'U2', uninstalled_at: null, uninstall_reason: null });
    expect((rows[0]!.installed_at as Date).getTime()).toBe((before!.installed_at as Date).getTime());
    expect((rows[0]!.updated_at as Date).getTime()).toBe(stack.clock.now);
    expect(await stack.workspaces.botTokenFor('T1')).toBe(stack.slack.oauth.currentToken('T1'));
    expect(stack.installed.map((i) => i.installerUserId)).toEqual(['U1', 'U2']);
  });

  it('a second workspace gets a row and a token of its own', async () => {
    await install(stack, { team: 'T1' });
    await install(stack, { team: 'T2' });
    expect((await installationRows(stack)).map((r) => r.team_id)).toEqual(['T1', 'T2']);
    expect(await stack.workspaces.botTokenFor('T2')).toBe(stack.slack.oauth.currentToken('T2'));
    expect(stack.slack.oauth.currentToken('T1')).not.toBe(stack.slack.oauth.currentToken('T2'));
  });
});

describe('Add to Slack refuses, and stores nothing', () => {
  const expectNothingStored = async () => {
    expect(await installationRows(stack)).toEqual([]);
    expect(stack.installed).toEqual([]);
  };

  it('when the callback has no state, then 400', async () => {
    const { callback, cookie } = await beginInstall(stack);
    const res = await request(stack.app).get(callback.replace(/&?state=[^&]*/, '')).set('cookie', cookie);
    expect(res.status).toBe(400);
    expect(res.text).toContain('no state');
    expect(stack.slack.oauth.exchangeCalls()).toBe(0);
    await expectNothingStored();
  });

  it('when the state is forged, then 403 and the code is never exchanged', async () => {
    const { callback, cookie, state } = await beginInstall(stack);
    const res = await request(stack.app).get(callback.replace(state, 'A'.repeat(43))).set('cookie', cookie);
    expect(res.status).toBe(403);
    expect(res.text).toContain('not one Jeeves issued');
    expect(stack.slack.oauth.exchangeCalls()).toBe(0);
    await expectNothingStored();
  });

  it('when a used state comes back (a replayed callback), then 403', async () => {
    const attempt = await beginInstall(stack, { team: 'T1' });
    await request(stack.app).get(attempt.callback).set('cookie', attempt.cookie).expect(200);
    await stack.db.dataSource.query(`DELETE FROM workspaces_installations`);
    stack.installed.length = 0;

    const replay = await request(stack.app).get(attempt.callback).set('cookie', attempt.cookie);

    expect(replay.status).toBe(403);
    expect(stack.slack.oauth.exchangeCalls()).toBe(1);
    await expectNothingStored();
  });

  it('when the state expired (over 10 minutes), then 403', async () => {
    const { callback, cookie } = await beginInstall(stack);
    stack.clock.now += INSTALL_STATE_TTL_MS + 1;
    const res = await request(stack.app).get(callback).set('cookie', cookie);
    expect(res.status).toBe(403);
    expect(res.text).toContain('expired');
    await expectNothingStored();
  });

  it.each([
    ['without the install cookie', undefined],
    ['with another browser’s cookie', 'jeeves_install=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'],
  ])('when the callback arrives %s, then 403', async (_how, otherCookie) => {
    const { callback } = await beginInstall(stack);
    const call = request(stack.app).get(callback);
    const res = await (otherCookie ? call.set('cookie', otherCookie) : call);
    expect(res.status).toBe(403);
    expect(res.text).toContain('another browser');
    expect(stack.slack.oauth.exchangeCalls()).toBe(0);
    await expectNothingStored();
  });

  it('when the code was already used (Slack answers invalid_code), then a clear page', async () => {
    const first = await beginInstall(stack, { team: 'T1' });
    await request(stack.app).get(first.callback).set('cookie', first.cookie).expect(200);
    await stack.db.dataSource.query(`DELETE FROM workspaces_installations`);
    stack.installed.length = 0;
    // A fresh, valid state carrying the spent code.
    const second = await beginInstall(stack, { team: 'T1' });
    const spentCode = new URL(first.callback, PUBLIC_URL).searchParams.get('code')!;

    const res = await request(stack.app).get(`/slack/oauth_redirect?code=${spentCode}&state=${second.state}`).set('cookie', second.cookie);

    expect(res.status).toBe(400);
    expect(res.text).toContain('invalid_code');
    await expectNothingStored();
  });

  it('when the person cancels on Slack (error=access_denied), then a page says nothing was installed', async () => {
    const { state, cookie } = await beginInstall(stack);
    const res = await request(stack.app).get(`/slack/oauth_redirect?error=access_denied&state=${state}`).set('cookie', cookie);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Permission to add Jeeves was not given');
    await expectNothingStored();
  });

  it('when Slack cannot be reached, then 503 and nothing stored', async () => {
    const { callback, cookie } = await beginInstall(stack);
    // Slack is gone for the rest of this test; the stack must not close it again.
    const close = stack.slack.api.close;
    stack.slack.api.close = async () => undefined;
    await close();
    const res = await request(stack.app).get(callback).set('cookie', cookie);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Slack could not be reached');
    await expectNothingStored();
  });
});
