import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { WorkspacesService } from '../../src/modules/workspaces';
import { REFRESH_MARGIN_MS, TOKEN_CACHE_TTL_MS } from '../../src/modules/workspaces/workspaces.bot-tokens';
import { lineFrom } from '../support/child-output';
import { waitFor } from '../support/queue-helpers';
import { install, installationRows, startWorkspacesStack, type WorkspacesStack } from '../support/workspaces-stack';

/** botTokenFor on PostgreSQL: rotating tokens refreshed once across processes, uninstalls and revocations. */
jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const CHILD = join(ROOT, 'test/support/workspaces-token-child.ts');
const TWELVE_HOURS_MS = 43_200_000;

let stack: WorkspacesStack;
afterEach(() => stack.close());

const rowOf = async (teamId: string) => (await installationRows(stack)).find((r) => r.team_id === teamId)!;
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'no error', (err: { code?: string }) => err.code);

/** A chat.postMessage with this token, as the delivery would make it: Slack's answer. */
async function post(token: string): Promise<{ ok: boolean; error?: string }> {
  const res = await fetch(new URL('chat.postMessage', stack.slack.api.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'C1', text: 'hello' }),
  });
  return (await res.json()) as { ok: boolean; error?: string };
}

describe('a workspace whose tokens Slack rotates', () => {
  beforeEach(async () => {
    stack = await startWorkspacesStack({ rotation: true });
    expect((await install(stack, { team: 'T1' })).status).toBe(200);
  });

  it('is stored with its refresh token sealed and its expiry', async () => {
    const row = await rowOf('T1');
    expect((row.token_expires_at as Date).getTime()).toBe(stack.clock.now + TWELVE_HOURS_MS);
    expect(row.refresh_token).toMatch(new RegExp(`^v1\\.${stack.keyring.currentKeyId}\\.`));
    expect(stack.installed[0]).toMatchObject({ tokenRotation: true });
  });

  it('when the token is far from expiry, then it is used as it is', async () => {
    const token = stack.slack.oauth.currentToken('T1');
    stack.clock.now += TWELVE_HOURS_MS - REFRESH_MARGIN_MS - 60_000;
    expect(await (await stack.anotherProcess()).botTokenFor('T1')).toBe(token);
    expect(stack.slack.oauth.refreshCalls()).toBe(0);
  });

  it('when it has expired, then the next use refreshes it once, stores the new pair and records the refresh', async () => {
    const before = await rowOf('T1');
    const oldToken = stack.slack.oauth.currentToken('T1')!;
    stack.clock.now += TWELVE_HOURS_MS + 1;

    const token = await stack.workspaces.botTokenFor('T1');

    expect(token).not.toBe(oldToken);
    expect(token).toBe(stack.slack.oauth.currentToken('T1'));
    expect(await stack.workspaces.botTokenFor('T1')).toBe(token);
    expect(stack.slack.oauth.refreshCalls()).toBe(1);
    const after = await rowOf('T1');
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.bot_token).not.toContain(token!);
    expect((after.token_expires_at as Date).getTime()).toBe(stack.clock.now + TWELVE_HOURS_MS);
    expect((after.last_refreshed_at as Date).getTime()).toBe(stack.clock.now);
    expect(after.last_refresh_error).toBeNull();
    expect(await post(token!)).toMatchObject({ ok: true });
  });

  it('when it expires within the margin, then it is refreshed before it stops working', async () => {
    stack.clock.now += TWELVE_HOURS_MS - REFRESH_MARGIN_MS + 1;
    const token = await (await stack.anotherProcess()).botTokenFor('T1');
    expect(stack.slack.oauth.refreshCalls()).toBe(1);
    expect(token).toBe(stack.slack.oauth.currentToken('T1'));
  });

  it('when Slack refuses the refresh of a token still valid, then the token is used meanwhile and the error recorded', async () => {
    const token = stack.slack.oauth.currentToken('T1');
    await stack.db.dataSource.query(`UPDATE workspaces_installations SET refresh_token = $1`, [stack.keyring.seal('xoxe-1-unknown', 'workspaces_installations.refresh_token:T1')]);
    stack.clock.now += TWELVE_HOURS_MS - 60_000;

    expect(await (await stack.anotherProcess()).botTokenFor('T1')).toBe(token);

    const row = await rowOf('T1');
    expect(row.last_refresh_error).toContain('invalid_refresh_token');
    expect((row.last_refresh_error_at as Date).getTime()).toBe(stack.clock.now);
    expect(await stack.workspaces.installation('T1')).toMatchObject({ lastRefreshError: expect.stringContaining('invalid_refresh_token') });
  });

  it('when Slack refuses the refresh of an expired token, then WORKSPACES.TOKEN_REFRESH_FAILED and the error recorded', async () => {
    await stack.db.dataSource.query(`UPDATE workspaces_installations SET refresh_token = $1`, [stack.keyring.seal('xoxe-1-unknown', 'workspaces_installations.refresh_token:T1')]);
    stack.clock.now += TWELVE_HOURS_MS + 1;
    expect(await codeOf((await stack.anotherProcess()).botTokenFor('T1'))).toBe('WORKSPACES.TOKEN_REFRESH_FAILED');
    expect((await rowOf('T1')).last_refresh_error).toContain('invalid_refresh_token');
  });

  describe('two processes refreshing at the same moment', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
    });

    it('then one refresh reaches Slack and every process gets the new token', async () => {
      stack.clock.now += TWELVE_HOURS_MS + 1;
      const [a, b] = [await stack.anotherProcess(), await stack.anotherProcess()];
      child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DATABASE_URL: stack.db.url,
          SLACK_API_URL: stack.slack.api.url,
          SLACK_OAUTH_URL: stack.slack.oauthUrl,
          SLACK_CLIENT_ID: stack.slack.oauth.clientId,
          SLACK_CLIENT_SECRET: stack.slack.oauth.clientSecret,
          TOKEN_ENCRYPTION_KEY: stack.keyringKey,
          NOW: String(stack.clock.now),
          TEAM: 'T1',
        },
      });
      await lineFrom(child, /^ready$/, 30_000);
      const release = stack.slack.oauth.holdRefreshes();

      const childAnswer = lineFrom(child, /^(token|error) /, 30_000);
      child.stdin!.write('go\n');
      const racing = Promise.all([a.botTokenFor('T1'), b.botTokenFor('T1')]);
      // The first refresher holds the row while Slack answers; the other two wait on its lock (or, unlocked, reach Slack too).
      await waitFor(async () => stack.slack.oauth.refreshCalls() > 1 || (await lockWaiters()) === 2, 'two processes waiting on the row lock', 30_000);
      release();
      const [tokenA, tokenB] = await racing;
      const fromChild = (await childAnswer).replace(/^token /, '');

      expect(stack.slack.oauth.refreshCalls()).toBe(1);
      expect(tokenA).toBe(stack.slack.oauth.currentToken('T1'));
      expect(tokenB).toBe(tokenA);
      expect(fromChild).toBe(tokenA);
    });
  });
});

/** Sessions of this test's database waiting for a row lock. */
async function lockWaiters(): Promise<number> {
  const [row] = await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  return (row as { n: number }).n;
}

describe('uninstalls and revoked tokens', () => {
  let token: string;
  let elsewhere: WorkspacesService;
  beforeEach(async () => {
    stack = await startWorkspacesStack();
    await install(stack, { team: 'T1' });
    token = stack.slack.oauth.currentToken('T1')!;
    elsewhere = await stack.anotherProcess();
    expect(await stack.workspaces.botTokenFor('T1')).toBe(token);
  });

  it('a workspace that never installed gets undefined: the caller falls back to SLACK_BOT_TOKEN', async () => {
    expect(await stack.workspaces.botTokenFor('T0NEVER')).toBeUndefined();
  });

  it('app_uninstalled deletes the tokens and the handling process refuses the workspace at once, though it had the token cached', async () => {
    await stack.workspaces.uninstalled('T1');

    expect(await codeOf(stack.workspaces.botTokenFor('T1'))).toBe('WORKSPACES.UNINSTALLED');
    expect(await rowOf('T1')).toMatchObject({ bot_token: null, refresh_token: null, uninstall_reason: 'app_uninstalled', uninstalled_at: new Date(stack.clock.now) });
    expect(await codeOf(elsewhere.botTokenFor('T1'))).toBe('WORKSPACES.UNINSTALLED');
    expect(await stack.workspaces.installation('T1')).toMatchObject({ uninstallReason: 'app_uninstalled', uninstalledAt: new Date(stack.clock.now) });
  });

  it('another process that had the token cached refuses the workspace once its cache lapses, and posts nothing with the token', async () => {
    expect(await elsewhere.botTokenFor('T1')).toBe(token);
    await stack.workspaces.uninstalled('T1');
    stack.slack.oauth.revokeTeam('T1');
    const uses = stack.slack.oauth.uses(token);
    stack.clock.now += TOKEN_CACHE_TTL_MS + 1;

    expect(await codeOf(elsewhere.botTokenFor('T1'))).toBe('WORKSPACES.UNINSTALLED');
    expect(stack.slack.oauth.uses(token)).toBe(uses);
  });

  it('tokens_revoked naming the bot user deletes the tokens and marks the workspace', async () => {
    const botUserId = (await rowOf('T1')).bot_user_id as string;
    expect(await stack.workspaces.tokensRevoked('T1', { bot: [botUserId] })).toEqual({ botRevoked: true });
    expect(await codeOf(stack.workspaces.botTokenFor('T1'))).toBe('WORKSPACES.UNINSTALLED');
    expect(await rowOf('T1')).toMatchObject({ bot_token: null, uninstall_reason: 'tokens_revoked' });
  });

  it('tokens_revoked naming only user tokens, or another bot, leaves the bot token in use', async () => {
    expect(await stack.workspaces.tokensRevoked('T1', { oauth: ['U1234'] })).toEqual({ botRevoked: false });
    expect(await stack.workspaces.tokensRevoked('T1', { bot: ['U0SOMEONEELSE'] })).toEqual({ botRevoked: false });
    expect(await stack.workspaces.botTokenFor('T1')).toBe(token);
  });

  it('app_uninstalled after tokens_revoked (Slack sends both) keeps the first reason and time', async () => {
    const at = stack.clock.now;
    await stack.workspaces.tokensRevoked('T1', { bot: [(await rowOf('T1')).bot_user_id as string] });
    stack.clock.now += 1000;
    await stack.workspaces.uninstalled('T1');
    expect(await rowOf('T1')).toMatchObject({ uninstall_reason: 'tokens_revoked', uninstalled_at: new Date(at) });
  });

  it('a workspace on the single-token shortcut that uninstalls is refused too, until it installs', async () => {
    await stack.workspaces.uninstalled('T0SHORTCUT');
    expect(await codeOf(stack.workspaces.botTokenFor('T0SHORTCUT'))).toBe('WORKSPACES.UNINSTALLED');
    expect(await stack.workspaces.installation('T0SHORTCUT')).toMatchObject({ teamId: 'T0SHORTCUT', installedAt: undefined, uninstallReason: 'app_uninstalled' });

    await install(stack, { team: 'T0SHORTCUT' });
    expect(await stack.workspaces.botTokenFor('T0SHORTCUT')).toBe(stack.slack.oauth.currentToken('T0SHORTCUT'));
  });

  it('a reinstall after an uninstall answers with the new token at once in the installing process', async () => {
    await stack.workspaces.uninstalled('T1');
    stack.slack.oauth.revokeTeam('T1');
    await install(stack, { team: 'T1' });
    const fresh = stack.slack.oauth.currentToken('T1')!;
    expect(fresh).not.toBe(token);
    expect(await stack.workspaces.botTokenFor('T1')).toBe(fresh);
    expect(await post(fresh)).toMatchObject({ ok: true });
    expect(await post(token)).toMatchObject({ ok: false, error: 'invalid_auth' });
  });

  it('a process that had the old token cached is given the new one as soon as Slack refuses the old, not once its cache lapses', async () => {
    expect(await elsewhere.botTokenFor('T1')).toBe(token);
    await stack.workspaces.uninstalled('T1');
    stack.slack.oauth.revokeTeam('T1');
    await install(stack, { team: 'T1' });
    const fresh = stack.slack.oauth.currentToken('T1')!;

    // Within its cache's life it still answers with what it read, unless told that token was refused.
    expect(await elsewhere.botTokenFor('T1')).toBe(token);
    expect(await elsewhere.botTokenFor('T1', 'xoxb-some-other-token')).toBe(token);
    expect(await elsewhere.botTokenFor('T1', token)).toBe(fresh);
    expect(await elsewhere.botTokenFor('T1')).toBe(fresh);
  });

  it('a process told its cached token was refused after an uninstall (no reinstall) refuses the workspace at once', async () => {
    expect(await elsewhere.botTokenFor('T1')).toBe(token);
    await stack.workspaces.uninstalled('T1');

    expect(await elsewhere.botTokenFor('T1')).toBe(token);
    expect(await codeOf(elsewhere.botTokenFor('T1', token))).toBe('WORKSPACES.UNINSTALLED');
  });
});
