import request from 'supertest';
import type { SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { signIn, type Agent } from '../support/auth-app';
import type { JeevesHarness } from '../support/jeeves-harness';
import { startSignInHarness } from '../support/sign-in-harness';

/**
 * The member's page through the whole monolith: signed in through the OpenID stand-in, every
 * form changes the member's own data through the modules' faces, and nobody else's.
 */

jest.setTimeout(60_000);

const ALICE = { teamId: 'T0STANDIN', userId: 'U0ALICE' };
const BOB = { teamId: 'T0STANDIN', userId: 'U0BOB' };

let slack: SlackApiStandIn;
let h: JeevesHarness;

beforeAll(async () => {
  ({ h, slack } = await startSignInHarness());
});

afterAll(async () => {
  await h?.close();
  await slack?.close();
});

async function signedIn(member = ALICE.userId): Promise<Agent> {
  const agent = request.agent(h.jeeves.app);
  const landed = await signIn(agent, member);
  expect(landed.status).toBe(303);
  return agent;
}

function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the page carries no _csrf field');
  return token;
}

async function post(agent: Agent, path: string, fields: Record<string, string>): Promise<request.Response> {
  const page = await agent.get('/me').expect(200);
  return agent.post(path).type('form').send({ _csrf: csrfOf(page.text), ...fields });
}

describe('a stranger', () => {
  it('on /me is sent to sign in; on /me/data.json gets 401; a form post is refused and changes nothing', async () => {
    const page = await request(h.jeeves.app).get('/me');
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe('/login?next=%2Fme');
    const data = await request(h.jeeves.app).get('/me/data.json');
    expect(data.status).toBe(401);
    expect(data.body).toEqual({ error: expect.objectContaining({ code: expect.any(String) }) });
    const forged = await request(h.jeeves.app).post('/me/settings').type('form').send({ key: 'units', value: 'imperial', teamId: ALICE.teamId, userId: ALICE.userId });
    expect(forged.status).toBe(401);
    expect(await h.jeeves.users.getSetting(ALICE, 'units')).toBeNull();
  });
});

describe('a signed-in member', () => {
  it('sees the page under the CSP, with the shared stylesheet, a label for every field and _csrf in every form', async () => {
    const agent = await signedIn();
    const page = await agent.get('/me').expect(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'|default-src 'self'/);
    expect(page.text).not.toMatch(/<script|style="/);
    const css = await agent.get('/assets/jeeves.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const forms = page.text.split('<form').slice(1);
    expect(forms.length).toBeGreaterThan(5);
    for (const form of forms) expect(form).toContain('name="_csrf"');
    // Every visible field has an id, and a label for it.
    const fields = [...page.text.matchAll(/<(?:input(?! type="hidden")|select)\b[^>]*>/g)].map((m) => m[0]);
    expect(fields.length).toBeGreaterThan(5);
    for (const tag of fields) expect(page.text).toContain(`<label for="${/id="([^"]+)"/.exec(tag)?.[1] ?? 'missing'}"`);
  });

  it('sets the location by place name, geocoded as `location set` does, and sees it with a notice', async () => {
    const agent = await signedIn();
    const saved = await post(agent, '/me/location', { place: 'Paris' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/me?notice=location');
    expect((await h.jeeves.users.get(ALICE)).location).toEqual(expect.objectContaining({ name: 'Paris, France', timezone: 'Europe/Paris' }));
    const page = await agent.get(saved.headers.location!).expect(200);
    expect(page.text).toContain('Location saved.');
    expect(page.text).toContain('Paris, France');
  });

  it('unsets the location', async () => {
    const agent = await signedIn();
    await h.jeeves.users.setLocation(ALICE, { name: 'Lyon, France', latitude: 45.75, longitude: 4.85, timezone: 'Europe/Paris' });
    expect((await agent.get('/me')).text).toContain('Forget my location');
    expect((await post(agent, '/me/location/unset', {})).headers.location).toBe('/me?notice=location-unset');
    expect((await h.jeeves.users.get(ALICE)).location).toBeNull();
    expect((await post(agent, '/me/location', { place: 'Paris' })).status).toBe(303);
  });

  it('when the place is unknown, then 400, the error said, and what was typed is still in the field', async () => {
    const agent = await signedIn();
    const refused = await post(agent, '/me/location', { place: 'Nowhere <b>ville</b>' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('No place called “Nowhere &lt;b&gt;ville&lt;/b&gt;” was found.');
    expect(refused.text).toContain('value="Nowhere &lt;b&gt;ville&lt;/b&gt;"');
  });

  it('sets and unsets a setting; a bad value is 400 with the value kept', async () => {
    const agent = await signedIn();
    expect((await post(agent, '/me/settings', { key: 'units', value: 'Imperial' })).status).toBe(303);
    expect(await h.jeeves.users.getSetting(ALICE, 'units')).toBe('imperial');
    const bad = await post(agent, '/me/settings', { key: 'timezone', value: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('value="Mars/Olympus"');
    expect(bad.text).toContain('class="error"');
    expect((await post(agent, '/me/settings/unset', { key: 'units' })).headers.location).toBe('/me?notice=unset');
    expect(await h.jeeves.users.getSetting(ALICE, 'units')).toBeNull();
  });

  it('a forged team or user field is ignored: the change is the signed-in member’s own', async () => {
    const agent = await signedIn();
    await h.jeeves.users.getOrCreate(BOB);
    const res = await post(agent, '/me/settings', { key: 'name', value: 'Forged', teamId: BOB.teamId, userId: BOB.userId, team_id: BOB.teamId, user_id: BOB.userId });
    expect(res.status).toBe(303);
    expect(await h.jeeves.users.getSetting(BOB, 'name')).toBeNull();
    expect(await h.jeeves.users.getSetting(ALICE, 'name')).toBe('Forged');
  });

  it('without the CSRF token, a change is refused with 403 and nothing changes', async () => {
    const agent = await signedIn();
    const res = await agent.post('/me/settings').type('form').send({ key: 'units', value: 'metric' });
    expect(res.status).toBe(403);
    expect(await h.jeeves.users.getSetting(ALICE, 'units')).toBeNull();
  });

  it('cancels a pending reminder of theirs; another member’s reminder id is refused and stays pending', async () => {
    const agent = await signedIn();
    const mine = await h.jeeves.reminders.create(ALICE, { channelId: 'D0ALICE' }, 'water the plants', { inMinutes: 60 });
    const bobs = await h.jeeves.reminders.create(BOB, { channelId: 'D0BOB' }, 'feed the cat', { inMinutes: 60 });
    const page = await agent.get('/me').expect(200);
    expect(page.text).toContain('water the plants');
    expect(page.text).not.toContain('feed the cat');
    expect((await post(agent, `/me/reminders/${mine.id}/cancel`, {})).headers.location).toBe('/me?notice=cancelled');
    expect(await h.jeeves.reminders.list(ALICE)).toEqual([]);
    const refused = await post(agent, `/me/reminders/${bobs.id}/cancel`, {});
    expect(refused.status).toBe(404);
    expect((await h.jeeves.reminders.list(BOB)).map((r) => r.id)).toEqual([bobs.id]);
  });

  it('turns the daily alert on at a time and off; a bad time is 400 with the time kept', async () => {
    const agent = await signedIn();
    expect((await post(agent, '/me/alerts', { enabled: 'on', time: '08:15' })).headers.location).toBe('/me?notice=alerts-on');
    expect(await h.jeeves.alerts.get(ALICE)).toEqual(expect.objectContaining({ enabled: true, localTime: '08:15', channelId: ALICE.userId }));
    const bad = await post(agent, '/me/alerts', { enabled: 'on', time: '25:99' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('value="25:99"');
    expect((await post(agent, '/me/alerts', { enabled: 'off', time: '08:15' })).headers.location).toBe('/me?notice=alerts-off');
    expect(await h.jeeves.alerts.get(ALICE)).toEqual(expect.objectContaining({ enabled: false }));
  });

  it('downloads their data as a JSON attachment: profile, settings, location, reminders, alert', async () => {
    const agent = await signedIn();
    await h.jeeves.reminders.create(ALICE, { channelId: 'D0ALICE' }, 'call mum', { inMinutes: 30 });
    const res = await agent.get('/me/data.json').expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?jeeves-my-data\.json"?$/);
    expect(res.body).toEqual(
      expect.objectContaining({
        member: expect.objectContaining(ALICE),
        profile: expect.objectContaining({ createdAt: expect.any(String) }),
        location: expect.objectContaining({ name: 'Paris, France' }),
        settings: expect.any(Object),
        reminders: expect.arrayContaining([expect.objectContaining({ text: 'call mum' })]),
        alertSubscription: expect.objectContaining({ localTime: '08:15' }),
      }),
    );
  });
});

describe('forget me', () => {
  async function memberRows(ref: { teamId: string; userId: string }): Promise<Record<string, number>> {
    const tables = (await h.database.dataSource.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name IN ('team_id', 'user_id')
       GROUP BY table_name HAVING count(*) = 2 ORDER BY table_name`,
    )) as Array<{ table_name: string }>;
    const counts: Record<string, number> = {};
    for (const { table_name: table } of tables) {
      const [row] = (await h.database.dataSource.query(`SELECT count(*)::int AS n FROM "${table}" WHERE team_id = $1 AND user_id = $2`, [ref.teamId, ref.userId])) as Array<{ n: number }>;
      counts[table] = row!.n;
    }
    return counts;
  }

  async function sessionsOf(ref: { teamId: string; userId: string }): Promise<number> {
    const [row] = (await h.database.dataSource.query(
      `SELECT count(*)::int AS n FROM auth_sessions WHERE sess->'passport'->'user'->>'teamId' = $1 AND sess->'passport'->'user'->>'userId' = $2`,
      [ref.teamId, ref.userId],
    )) as Array<{ n: number }>;
    return row!.n;
  }

  it('without the confirm field, 400 and nothing is deleted', async () => {
    const agent = await signedIn();
    await h.jeeves.users.setSetting(ALICE, 'units', 'metric');
    const res = await post(agent, '/me/forget', {});
    expect(res.status).toBe(400);
    expect(await h.jeeves.users.getSetting(ALICE, 'units')).toBe('metric');
  });

  it('deletes the member’s rows in every table with team and user columns, ends their sessions, and leaves others alone', async () => {
    const agent = await signedIn();
    const otherBrowser = await signedIn();
    await signedIn(BOB.userId);
    await h.jeeves.users.setSetting(ALICE, 'units', 'imperial');
    await h.jeeves.reminders.create(ALICE, { channelId: 'D0ALICE' }, 'pending one', { inMinutes: 90 });
    await h.jeeves.alerts.enable(ALICE, 'D0ALICE', '06:45');
    await h.jeeves.auth.roles.grant({ ...ALICE, role: 'admin', grantedBy: 'command' });
    await h.jeeves.users.setSetting(BOB, 'units', 'metric');
    await h.jeeves.alerts.enable(BOB, 'D0BOB', '07:00');
    await h.jeeves.auth.roles.grant({ ...BOB, role: 'admin', grantedBy: 'command' });
    const before = await memberRows(ALICE);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['alerts_subscriptions', 'auth_role_grants', 'reminders_reminders', 'users_profiles']));
    for (const table of ['alerts_subscriptions', 'auth_role_grants', 'reminders_reminders', 'users_profiles']) expect(before[table]).toBeGreaterThan(0);
    expect(await sessionsOf(ALICE)).toBeGreaterThan(1);

    const res = await post(agent, '/me/forget', { confirm: 'yes' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('signed you out');

    expect(Object.values(await memberRows(ALICE)).every((n) => n === 0)).toBe(true);
    expect(await sessionsOf(ALICE)).toBe(0);
    expect((await agent.get('/me')).status).toBe(302);
    expect((await otherBrowser.get('/me')).status).toBe(302);
    const bobs = await memberRows(BOB);
    expect(bobs).toEqual(expect.objectContaining({ users_profiles: 1, alerts_subscriptions: 1, auth_role_grants: 1 }));
    expect(await sessionsOf(BOB)).toBe(1);
  });
});
