import request from 'supertest';
import type { SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createRoles } from '../../src/modules/auth';
import {
  deadLetterRetriedSchema,
  deadLettersPanelSchema,
  memberRoleChangedSchema,
  membersPanelSchema,
  usagePanelSchema,
  workspacesPanelSchema,
} from '../../src/modules/dashboard/dashboard.workspace-schemas';
import { createDeadLetters, signSlackRequest, type DeadLetters } from '../../src/modules/slack';
import { signIn, type Agent } from '../support/auth-app';
import { eventually, type JeevesHarness } from '../support/jeeves-harness';
import { startSignInHarness } from '../support/sign-in-harness';

/**
 * The Queues, Workspaces, Members and Usage pages and their JSON twins: who gets in, what each
 * sees, and the dead-letter and member actions. Alice is an operator, Bob admin of T0STANDIN,
 * Carol a member of T0OTHER.
 */

jest.setTimeout(90_000);

let slack: SlackApiStandIn;
let h: JeevesHarness;
let deadLetters: DeadLetters;
const agents: Record<string, Agent> = {};

const PAGES = ['/admin/queues', '/admin/workspaces', '/admin/members', '/admin/usage'];
const TWINS = ['/api/admin/dead-letters', '/api/admin/workspaces', '/api/admin/members', '/api/admin/usage'];

async function deadLetter(teamId: string, text: string, channel = 'C0DEAD'): Promise<string> {
  const key = `reply:Ev${teamId}${Math.random().toString(36).slice(2)}`;
  await deadLetters.record({ message: { key, teamId, channel, text }, code: 'SLACK.CHANNEL_NOT_FOUND', reason: 'channel_not_found', attemptsMade: 1 });
  return (await deadLetters.list(500)).find((d) => d.key === key)!.id;
}

async function csrfOf(agent: Agent): Promise<string> {
  return ((await agent.get('/api/auth/session').expect(200)).body as { csrfToken: string }).csrfToken;
}

beforeAll(async () => {
  ({ h, slack } = await startSignInHarness());
  deadLetters = createDeadLetters({ dataSource: h.database.dataSource });
  const roles = createRoles(h.database.dataSource);
  await roles.grant({ teamId: 'T0STANDIN', userId: 'U0ALICE', role: 'operator', grantedBy: 'command' });
  await roles.grant({ teamId: 'T0STANDIN', userId: 'U0BOB', role: 'admin', grantedBy: 'command' });
  for (const member of ['U0ALICE', 'U0BOB', 'U0CAROL']) {
    agents[member] = request.agent(h.jeeves.app);
    expect((await signIn(agents[member], member)).status).toBe(303);
  }
  await h.jeeves.users.getOrCreate({ teamId: 'T0STANDIN', userId: 'U0BOB' }, { displayName: 'Bob Example' });
  await h.jeeves.users.getOrCreate({ teamId: 'T0STANDIN', userId: 'U0DAVE' }, { displayName: 'Dave Example' });
  await h.jeeves.users.getOrCreate({ teamId: 'T0STANDIN', userId: 'U0ERIN' }, { displayName: 'Erin Example' });
  await h.jeeves.users.getOrCreate({ teamId: 'T0OTHER', userId: 'U0CAROL' }, { displayName: 'Carol Example' });
  // T0OTHER installed with rotating tokens; T0GONE seen uninstalling.
  await h.database.dataSource.query(
    `INSERT INTO workspaces_installations (team_id, team_name, scopes, installer_user_id, bot_token, refresh_token, token_expires_at, installed_at, updated_at, last_refreshed_at, last_refresh_error)
     VALUES ('T0OTHER', 'Other Workspace', ARRAY['chat:write','im:history'], 'U0CAROL', 'sealed', 'sealed', now() + interval '12 hours', now() - interval '2 days', now(), now() - interval '1 hour', 'invalid_refresh_token')`,
  );
  await h.jeeves.workspaces.uninstalled('T0GONE');
});

afterAll(async () => {
  await h?.close();
  await slack?.close();
});

describe.each(PAGES)('GET %s', (path) => {
  it('a stranger is sent to sign in', async () => {
    const res = await request(h.jeeves.app).get(path);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
  });

  it('a member is refused with 403', async () => {
    expect((await agents.U0CAROL!.get(path)).status).toBe(403);
  });

  it('a workspace admin and an operator get the page with the admin tabs', async () => {
    for (const who of ['U0BOB', 'U0ALICE']) {
      const res = await agents[who]!.get(path).expect(200);
      expect(res.text).toContain('aria-label="Admin sections"');
      expect(res.text).toContain(`href="${path}" aria-current="page"`);
    }
  });

  it("a workspace admin asking for another workspace's is refused with 403", async () => {
    expect((await agents.U0BOB!.get(`${path}?team=T0OTHER`)).status).toBe(403);
  });
});

describe.each(TWINS)('GET %s', (path) => {
  it('a stranger gets 401, a member 403, an admin of another workspace 403', async () => {
    expect((await request(h.jeeves.app).get(path)).status).toBe(401);
    expect((await agents.U0CAROL!.get(path)).status).toBe(403);
    expect((await agents.U0BOB!.get(`${path}?team=T0OTHER`)).status).toBe(403);
  });

  it('a workspace admin gets 200 for their own workspace', async () => {
    expect((await agents.U0BOB!.get(`${path}?team=T0STANDIN`)).status).toBe(200);
  });
});

describe('queues and dead letters', () => {
  it('the queue counts are shown to operators only', async () => {
    expect((await agents.U0ALICE!.get('/admin/queues').expect(200)).text).toContain('id="queue-counts"');
    expect((await agents.U0BOB!.get('/admin/queues').expect(200)).text).not.toContain('id="queue-counts"');
    expect((await agents.U0BOB!.get('/api/admin/queues')).status).toBe(403);
  });

  it('a workspace admin sees their own workspace’s dead letters only, newest first, their text redacted', async () => {
    const older = await deadLetter('T0STANDIN', 'remind me to water the plants on the balcony');
    const newer = await deadLetter('T0STANDIN', 'hi');
    const elsewhere = await deadLetter('T0OTHER', 'a message of another workspace');
    const own = deadLettersPanelSchema.parse((await agents.U0BOB!.get('/api/admin/dead-letters').expect(200)).body);
    expect(own.teamId).toBe('T0STANDIN');
    const ids = own.deadLetters.map((d) => d.id);
    expect(ids).not.toContain(elsewhere);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    expect(own.deadLetters.find((d) => d.id === older)).toMatchObject({ teamId: 'T0STANDIN', channel: 'C0DEAD', text: 'remind me to…', code: 'SLACK.CHANNEL_NOT_FOUND' });
    expect(own.deadLetters.find((d) => d.id === newer)!.text).toBe('hi');
    const all = deadLettersPanelSchema.parse((await agents.U0ALICE!.get('/api/admin/dead-letters').expect(200)).body);
    expect(all.teamId).toBeNull();
    expect(all.deadLetters.map((d) => d.id)).toEqual(expect.arrayContaining([older, newer, elsewhere]));
    expect((await agents.U0BOB!.get('/admin/queues').expect(200)).text).not.toContain('a message of another');
    const filtered = (await agents.U0ALICE!.get('/admin/queues?team=T0OTHER').expect(200)).text;
    expect(filtered).toContain(`data-dead-letter="${elsewhere}"`);
    expect(filtered).not.toContain(`data-dead-letter="${older}"`);
    expect(filtered).toContain('id="scope-team" name="team"');
  });

  it('retry queues the message again: it reaches Slack, the dead letter is gone and the retry is audited', async () => {
    const id = await deadLetter('T0STANDIN', 'your reminder: call the plumber', 'C0RETRY');
    const res = await agents.U0ALICE!.post(`/api/admin/dead-letters/${id}/retry`).set('x-csrf-token', await csrfOf(agents.U0ALICE!)).expect(200);
    expect(deadLetterRetriedSchema.parse(res.body)).toMatchObject({ retried: { id, teamId: 'T0STANDIN' } });
    const posted = await eventually(
      () => slack.messages.filter((m) => m.channel === 'C0RETRY'),
      (m) => m.length === 1,
    );
    expect(posted[0]!.text).toBe('your reminder: call the plumber');
    expect(await deadLetters.get(id)).toBeUndefined();
    expect((await h.jeeves.audit.list())[0]).toMatchObject({ actor: 'T0STANDIN/U0ALICE', teamId: 'T0STANDIN', action: 'dead-letter-retry', target: id, before: { channel: 'C0RETRY', text: 'your reminder: call…' } });
  });

  it('retry from the page form by a workspace admin lands back on the page with a notice', async () => {
    const id = await deadLetter('T0STANDIN', 'from the form', 'C0FORM');
    const res = await agents.U0BOB!.post(`/admin/dead-letters/${id}/retry`).type('form').send({ _csrf: await csrfOf(agents.U0BOB!) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/queues?notice=retried');
    await eventually(() => slack.messages.filter((m) => m.channel === 'C0FORM'), (m) => m.length === 1);
    expect((await agents.U0BOB!.get(res.headers.location!).expect(200)).text).toContain('Dead letter queued again.');
  });

  it('without the CSRF token, retry and discard are refused with 403 and the dead letter stays', async () => {
    const id = await deadLetter('T0STANDIN', 'no token');
    expect((await agents.U0ALICE!.post(`/api/admin/dead-letters/${id}/retry`)).status).toBe(403);
    expect((await agents.U0ALICE!.post(`/admin/dead-letters/${id}/discard`).type('form').send({})).status).toBe(403);
    expect(await deadLetters.get(id)).toBeDefined();
  });

  it("a workspace admin cannot retry or discard another workspace's dead letter (403), a member none (403)", async () => {
    const id = await deadLetter('T0OTHER', 'not yours');
    const bob = await csrfOf(agents.U0BOB!);
    expect((await agents.U0BOB!.post(`/api/admin/dead-letters/${id}/retry`).set('x-csrf-token', bob)).status).toBe(403);
    expect((await agents.U0BOB!.post(`/api/admin/dead-letters/${id}/discard`).set('x-csrf-token', bob)).status).toBe(403);
    expect((await agents.U0BOB!.post(`/admin/dead-letters/${id}/discard`).type('form').send({ _csrf: bob })).status).toBe(403);
    expect((await agents.U0CAROL!.post(`/api/admin/dead-letters/${id}/discard`).set('x-csrf-token', await csrfOf(agents.U0CAROL!))).status).toBe(403);
    expect(await deadLetters.get(id)).toBeDefined();
  });

  it('an unknown dead letter is 404', async () => {
    const token = await csrfOf(agents.U0ALICE!);
    expect((await agents.U0ALICE!.post('/api/admin/dead-letters/999999/retry').set('x-csrf-token', token)).status).toBe(404);
    expect((await agents.U0ALICE!.post('/api/admin/dead-letters/not-an-id/discard').set('x-csrf-token', token)).status).toBe(404);
  });

  it('a dead letter of an uninstalled workspace is not retried: 409 says why, and it stays', async () => {
    const id = await deadLetter('T0GONE', 'to a workspace that left');
    const res = await agents.U0ALICE!.post(`/api/admin/dead-letters/${id}/retry`).set('x-csrf-token', await csrfOf(agents.U0ALICE!));
    expect(res.status).toBe(409);
    expect((res.body as { error: { code: string; message: string } }).error).toMatchObject({ code: 'DASHBOARD.WORKSPACE_UNINSTALLED', message: expect.stringMatching(/uninstalled/) });
    expect(await deadLetters.get(id)).toBeDefined();
    const page = await agents.U0ALICE!.post(`/admin/dead-letters/${id}/retry`).type('form').send({ _csrf: await csrfOf(agents.U0ALICE!) });
    expect(page.status).toBe(409);
    expect(page.text).toMatch(/role="alert">Workspace T0GONE has uninstalled Jeeves/);
  });

  it('discard deletes the dead letter and is audited', async () => {
    const id = await deadLetter('T0STANDIN', 'discard me please now');
    const res = await agents.U0BOB!.post(`/admin/dead-letters/${id}/discard`).type('form').send({ _csrf: await csrfOf(agents.U0BOB!) });
    expect(res.status).toBe(303);
    expect(await deadLetters.get(id)).toBeUndefined();
    expect((await h.jeeves.audit.list({ teamId: 'T0STANDIN' }))[0]).toMatchObject({ actor: 'T0STANDIN/U0BOB', action: 'dead-letter-discard', target: id, after: null });
  });
});

describe('workspaces', () => {
  it('an operator sees every install with its scopes and token state, and the uninstalled ones', async () => {
    const { workspaces } = workspacesPanelSchema.parse((await agents.U0ALICE!.get('/api/admin/workspaces').expect(200)).body);
    expect(workspaces.find((w) => w.teamId === 'T0OTHER')).toMatchObject({
      teamName: 'Other Workspace',
      installerUserId: 'U0CAROL',
      scopes: ['chat:write', 'im:history'],
      token: { rotating: true, expiresAt: expect.any(String), lastRefreshedAt: expect.any(String), lastError: 'invalid_refresh_token' },
      uninstalledAt: null,
    });
    expect(workspaces.find((w) => w.teamId === 'T0GONE')).toMatchObject({ uninstalledAt: expect.any(String), uninstallReason: 'app_uninstalled' });
    const page = (await agents.U0ALICE!.get('/admin/workspaces').expect(200)).text;
    expect(page).toContain('data-workspace="T0OTHER"');
    expect(page).toContain('invalid_refresh_token');
  });

  it("a workspace admin sees no other workspace's install", async () => {
    const { workspaces } = workspacesPanelSchema.parse((await agents.U0BOB!.get('/api/admin/workspaces').expect(200)).body);
    expect(workspaces.filter((w) => w.teamId !== 'T0STANDIN')).toEqual([]);
    expect((await agents.U0BOB!.get('/admin/workspaces').expect(200)).text).not.toContain('T0OTHER');
  });
});

describe('members', () => {
  it("a workspace admin lists their workspace's members, searches by name or id, and pages", async () => {
    const all = membersPanelSchema.parse((await agents.U0BOB!.get('/api/admin/members').expect(200)).body);
    expect(all.members.map((m) => m.userId).sort()).toEqual(['U0BOB', 'U0DAVE', 'U0ERIN']);
    expect(all.members.find((m) => m.userId === 'U0BOB')).toMatchObject({ teamId: 'T0STANDIN', displayName: 'Bob Example', admin: true });
    expect(all.members.find((m) => m.userId === 'U0DAVE')).toMatchObject({ admin: false, operator: false });
    const found = membersPanelSchema.parse((await agents.U0BOB!.get('/api/admin/members?q=dAvE').expect(200)).body);
    expect(found.members.map((m) => m.userId)).toEqual(['U0DAVE']);
    expect((membersPanelSchema.parse((await agents.U0BOB!.get('/api/admin/members?q=u0erin').expect(200)).body)).members.map((m) => m.userId)).toEqual(['U0ERIN']);
    const first = membersPanelSchema.parse((await agents.U0BOB!.get('/api/admin/members?limit=2').expect(200)).body);
    expect(first.members).toHaveLength(2);
    const second = membersPanelSchema.parse((await agents.U0BOB!.get(`/api/admin/members?limit=2&cursor=${first.nextCursor}`).expect(200)).body);
    expect([...first.members, ...second.members].map((m) => m.userId).sort()).toEqual(['U0BOB', 'U0DAVE', 'U0ERIN']);
    expect(second.nextCursor).toBeNull();
    const page = (await agents.U0BOB!.get('/admin/members?q=dave').expect(200)).text;
    expect(page).toContain('data-member="T0STANDIN/U0DAVE"');
    expect(page).not.toContain('data-member="T0STANDIN/U0ERIN"');
  });

  it('an operator sees every workspace’s members', async () => {
    const { members } = membersPanelSchema.parse((await agents.U0ALICE!.get('/api/admin/members').expect(200)).body);
    expect(members.map((m) => `${m.teamId}/${m.userId}`)).toEqual(expect.arrayContaining(['T0STANDIN/U0DAVE', 'T0OTHER/U0CAROL']));
  });

  it('a workspace admin promotes a member with the form, then demotes them; both audited', async () => {
    const token = await csrfOf(agents.U0BOB!);
    const promoted = await agents.U0BOB!.post('/admin/members/T0STANDIN/U0DAVE/promote').type('form').send({ _csrf: token });
    expect(promoted.status).toBe(303);
    expect(await h.jeeves.auth.roles.rolesOf('T0STANDIN', 'U0DAVE')).toEqual(['admin']);
    expect((await h.jeeves.audit.list())[0]).toMatchObject({ actor: 'T0STANDIN/U0BOB', teamId: 'T0STANDIN', action: 'promote', target: 'T0STANDIN/U0DAVE', before: { admin: false }, after: { admin: true } });
    const demoted = await agents.U0BOB!.post('/api/admin/members/T0STANDIN/U0DAVE/demote').set('x-csrf-token', token).expect(200);
    expect(memberRoleChangedSchema.parse(demoted.body)).toMatchObject({ teamId: 'T0STANDIN', userId: 'U0DAVE', admin: false, changed: true });
    expect(await h.jeeves.auth.roles.rolesOf('T0STANDIN', 'U0DAVE')).toEqual([]);
    expect((await h.jeeves.audit.list())[0]).toMatchObject({ action: 'demote', target: 'T0STANDIN/U0DAVE' });
  });

  it('the last admin of a workspace is not demoted: 409, and they stay admin', async () => {
    const res = await agents.U0BOB!.post('/api/admin/members/T0STANDIN/U0BOB/demote').set('x-csrf-token', await csrfOf(agents.U0BOB!));
    expect(res.status).toBe(409);
    expect((res.body as { error: { code: string } }).error.code).toBe('DASHBOARD.LAST_ADMIN');
    expect(await h.jeeves.auth.roles.rolesOf('T0STANDIN', 'U0BOB')).toEqual(['admin']);
  });

  it('promoting in another workspace is refused (403) for its non-admin, and without CSRF (403)', async () => {
    const bob = await csrfOf(agents.U0BOB!);
    expect((await agents.U0BOB!.post('/api/admin/members/T0OTHER/U0CAROL/promote').set('x-csrf-token', bob)).status).toBe(403);
    expect((await agents.U0BOB!.post('/admin/members/T0OTHER/U0CAROL/promote').type('form').send({ _csrf: bob })).status).toBe(403);
    expect((await agents.U0CAROL!.post('/api/admin/members/T0OTHER/U0CAROL/promote').set('x-csrf-token', await csrfOf(agents.U0CAROL!))).status).toBe(403);
    expect((await agents.U0BOB!.post('/api/admin/members/T0STANDIN/U0ERIN/promote')).status).toBe(403);
    expect(await h.jeeves.auth.roles.rolesOf('T0OTHER', 'U0CAROL')).toEqual([]);
    expect(await h.jeeves.auth.roles.rolesOf('T0STANDIN', 'U0ERIN')).toEqual([]);
  });

  it('an operator may promote in any workspace', async () => {
    await agents.U0ALICE!.post('/api/admin/members/T0OTHER/U0CAROL/promote').set('x-csrf-token', await csrfOf(agents.U0ALICE!)).expect(200);
    expect(await h.jeeves.auth.roles.rolesOf('T0OTHER', 'U0CAROL')).toEqual(['admin']);
    await h.jeeves.auth.roles.revoke('T0OTHER', 'U0CAROL', 'admin');
  });
});

describe('usage', () => {
  it('a message answered shows as a command of its workspace today, with its reply latency', async () => {
    const dm = h.signedDm('help', { channel: 'D0USAGE', teamId: 'T0STANDIN' });
    await request(h.jeeves.app).post('/slack/events').set(dm.headers).send(dm.body).expect(200);
    await eventually(() => slack.messages.filter((m) => m.channel === 'D0USAGE'), (m) => m.length === 1);
    // Delivery records the reply's time just after Slack took it.
    await eventually(
      async () => (await h.database.dataSource.query(`SELECT 1 FROM slack_replies WHERE replied_at IS NOT NULL`)) as unknown[],
      (rows) => rows.length === 1,
    );
    const usage = usagePanelSchema.parse((await agents.U0BOB!.get('/api/admin/usage?days=7').expect(200)).body);
    const today = new Date().toISOString().slice(0, 10);
    expect(usage.teamId).toBe('T0STANDIN');
    expect(usage.days).toEqual([expect.objectContaining({ day: today, teamId: 'T0STANDIN', commands: 1, replied: 1, p50Ms: expect.any(Number), p95Ms: expect.any(Number) })]);
    expect(usage.workspaces).toEqual([{ teamId: 'T0STANDIN', commands: 1 }]);
    const page = (await agents.U0BOB!.get('/admin/usage?days=7').expect(200)).text;
    expect(page).toContain('data-source="/api/admin/usage?days=7"');
    expect(page).toMatch(/<script src="\/assets\/admin-usage.js" defer>/);
    expect(page).not.toMatch(/<script>(?!<)/);
  });

  it('a slash command answered in its response counts too, for its workspace', async () => {
    const body = new URLSearchParams({ team_id: 'T0OTHER', user_id: 'U0CAROL', channel_id: 'C0SLASH', text: 'help', trigger_id: 'trig-usage-1', command: '/jeeves' }).toString();
    const res = await request(h.jeeves.app).post('/slack/commands').set('content-type', 'application/x-www-form-urlencoded').set(signSlackRequest(h.signingSecret, body)).send(body).expect(200);
    expect((res.body as { text: string }).text).toMatch(/help/i);
    await eventually(
      async () => (await h.database.dataSource.query(`SELECT 1 FROM slack_replies WHERE team_id = 'T0OTHER' AND replied_at IS NOT NULL`)) as unknown[],
      (rows) => rows.length === 1,
    );
    const usage = usagePanelSchema.parse((await agents.U0ALICE!.get('/api/admin/usage?team=T0OTHER').expect(200)).body);
    expect(usage.days).toEqual([expect.objectContaining({ teamId: 'T0OTHER', commands: 1, replied: 1 })]);
  });

  it('the chart script and uPlot are served as files', async () => {
    expect((await request(h.jeeves.app).get('/assets/admin-usage.js').expect(200)).text).toContain('new uPlot(');
    expect((await request(h.jeeves.app).get('/assets/uplot/uPlot.iife.min.js').expect(200)).text).toMatch(/uPlot/);
    expect((await request(h.jeeves.app).get('/assets/admin-panels.css').expect(200)).headers['content-type']).toMatch(/text\/css/);
  });
});
