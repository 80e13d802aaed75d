import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { SESSION_API_PATH } from '../../src/modules/auth/auth.routes';
import { ADMIN_SCRIPT_PATH } from '../../src/modules/dashboard/dashboard.assets';
import { placementChangeResponseSchema } from '../../src/modules/dashboard/dashboard.placement';
import { ADMIN_CLIENT_ID } from '../../src/monolith/wire-switched-modules';
import { ADMIN_AUDIENCE } from '../../src/platform/service-auth';
import type { Agent } from '../support/auth-app';
import { eventually, type JeevesHarness } from '../support/jeeves-harness';
import { clientTokenFor } from '../support/service-tokens';
import { castAdminRoles, signedInAgent, startSignInHarness } from '../support/sign-in-harness';

/**
 * The Modules page (/admin), its placement forms and the audit page: an operator's only. A move
 * writes the flags file, is audited, and the switch sends the next call where it says.
 */

jest.setTimeout(60_000);

const ADMIN_SECRET = 'the-operators-admin-client-secret-of-40-chars';
let slack: SlackApiStandIn;
let h: JeevesHarness;
/** Where weather's remote calls land: counts them and answers 503 (the switch falls back in-process). */
let weatherService: Server;
let weatherHits = 0;

beforeAll(async () => {
  weatherService = createServer((_req, res) => {
    weatherHits += 1;
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"X","message":"down"}}');
  });
  await new Promise<void>((resolve) => weatherService.listen(0, '127.0.0.1', resolve));
  ({ h, slack } = await startSignInHarness({
    ADMIN_CLIENT_SECRET: ADMIN_SECRET,
    WEATHER_SERVICE_URL: `http://127.0.0.1:${(weatherService.address() as AddressInfo).port}`,
    FLAGS_REFRESH_MS: '100',
  }));
  await castAdminRoles(h);
});

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await new Promise((resolve) => (weatherService ? weatherService.close(resolve) : resolve(undefined)));
});

beforeEach(() => h.database.dataSource.query('DELETE FROM admin_audit_log'));

const signedIn = (member: string) => signedInAgent(h.jeeves.app, member);
const flagsText = () => (existsSync(h.infra.config.FLAGS_FILE) ? readFileSync(h.infra.config.FLAGS_FILE, 'utf8') : '');
const flagsFile = () => JSON.parse(flagsText()) as { flags: Record<string, { enabled: boolean; rollout: number }> };
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

async function operatorWithCsrf(): Promise<{ agent: Agent; csrf: string }> {
  const agent = await signedIn('U0ALICE');
  const page = await agent.get('/admin').expect(200);
  return { agent, csrf: csrfOf(page.text) };
}

describe.each(['/admin', '/admin/audit'])('GET %s', (path) => {
  it('without a session, then sent to sign in', async () => {
    const res = await request(h.jeeves.app).get(path);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
  });

  it.each(['U0BOB', 'U0CAROL'])("with %s's session (a workspace admin, a member), then a 403 page", async (member) => {
    const res = await (await signedIn(member)).get(path);
    expect(res.status).toBe(403);
    expect(res.type).toBe('text/html');
    expect(res.text).not.toContain('data-module');
  });

  it("with an operator's session, then the page with the admin tabs and no inline script", async () => {
    const res = await (await signedIn('U0ALICE')).get(path).expect(200);
    expect(res.text).toContain('<nav class="tabs" aria-label="Admin sections">');
    expect(res.text).toMatch(new RegExp(`<a href="${path}" aria-current="page">`));
    expect(res.text).toContain('<main class="wide">');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });
});

describe('GET /admin as an operator', () => {
  it('shows one row per switched module with its placement, figures, and a labelled placement form', async () => {
    const res = await (await signedIn('U0ALICE')).get('/admin').expect(200);
    for (const module of ['tokens', 'users', 'weather']) {
      expect(res.text).toContain(`<tr data-module="${module}">`);
      expect(res.text).toContain(`<form method="post" action="/admin/modules/${module}/placement" class="placement">`);
      expect(res.text).toContain(`<label for="placement-${module}">Placement</label>`);
      expect(res.text).toContain(`<select id="placement-${module}" name="placement">`);
      expect(res.text).toContain(`<label for="rollout-${module}">Rollout %</label>`);
      expect(res.text).toMatch(new RegExp(`<input type="number" id="rollout-${module}" name="rollout" min="0" max="100"`));
    }
    expect(res.text).toMatch(/name="_csrf" value="[^"]{20,}"/);
    expect(res.text).toContain(`file ${h.infra.config.FLAGS_FILE}`);
    expect(res.text).toContain(`${process.pid}`);
    expect(res.text).toContain("this process's only");
    expect(res.text).toContain('every <strong>0.1 s</strong>');
    expect(res.text).toContain(`<script src="${ADMIN_SCRIPT_PATH}" defer></script>`);
  });

  it('serves the live-update script as JavaScript that polls the modules twin', async () => {
    const res = await request(h.jeeves.app).get(ADMIN_SCRIPT_PATH).expect(200);
    expect(res.type).toBe('text/javascript');
    expect(res.text).toContain("fetch('/api/admin/modules'");
    expect(() => new Function(res.text)).not.toThrow();
  });
});

describe('POST /admin/modules/:name/placement', () => {
  const form = { placement: 'remote', rollout: '100' };

  it('without a CSRF token, then 403 and no flag written', async () => {
    const { agent } = await operatorWithCsrf();
    const before = flagsText();
    expect((await agent.post('/admin/modules/weather/placement').type('form').send(form)).status).toBe(403);
    expect((await agent.post('/admin/modules/weather/placement').type('form').send({ ...form, _csrf: 'not-the-token' })).status).toBe(403);
    expect(flagsText()).toBe(before);
  });

  it.each(['U0BOB', 'U0CAROL'])("with %s's session and its own CSRF token, then 403", async (member) => {
    const agent = await signedIn(member);
    const csrf = ((await agent.get(SESSION_API_PATH).expect(200)).body as { csrfToken: string }).csrfToken;
    expect((await agent.post('/admin/modules/weather/placement').type('form').send({ ...form, _csrf: csrf })).status).toBe(403);
  });

  it('without a session, then refused', async () => {
    expect((await request(h.jeeves.app).post('/admin/modules/weather/placement').type('form').send(form)).status).toBe(401);
  });

  it('for an unknown module, then 404', async () => {
    const { agent, csrf } = await operatorWithCsrf();
    const res = await agent.post('/admin/modules/nonesuch/placement').type('form').send({ ...form, _csrf: csrf });
    expect(res.status).toBe(404);
    expect(res.text).toContain('No extractable module is called');
  });

  it('with a rollout of 150, then 400, the page again with the error and what was typed, nothing written or audited', async () => {
    const { agent, csrf } = await operatorWithCsrf();
    const res = await agent.post('/admin/modules/weather/placement').type('form').send({ placement: 'remote', rollout: '150', _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<p class="error" role="alert">Rollout must be a whole number from 0 to 100.</p>');
    expect(res.text).toContain('<input type="number" id="rollout-weather" name="rollout" min="0" max="100" step="1" value="150">');
    expect(await h.jeeves.audit.list()).toEqual([]);
  });

  it('with a placement that is none of local, shadow, remote, then 400', async () => {
    const { agent, csrf } = await operatorWithCsrf();
    const res = await agent.post('/admin/modules/weather/placement').type('form').send({ placement: 'moon', rollout: '10', _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Placement must be local, shadow or remote.');
  });

  it('from a JSON client with a bad rollout, then a 400 JSON error', async () => {
    const { agent, csrf } = await operatorWithCsrf();
    const res = await agent.post('/admin/modules/weather/placement').set('accept', 'application/json').type('form').send({ placement: 'shadow', rollout: '150', _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'DASHBOARD.INVALID_PLACEMENT', message: 'Rollout must be a whole number from 0 to 100.' } });
  });

  it('moving weather to remote writes the flags, is audited, and the next call goes to its service; moving back stops that', async () => {
    const { agent, csrf } = await operatorWithCsrf();
    const hitsBefore = weatherHits;
    await h.jeeves.weather.geocode('Paris');
    expect(weatherHits).toBe(hitsBefore);

    const res = await agent.post('/admin/modules/weather/placement').type('form').send({ placement: 'remote', rollout: '100', _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin?moved=weather');
    expect(flagsFile().flags['weather-remote']).toMatchObject({ enabled: true, rollout: 100 });
    expect(flagsFile().flags['weather-shadow']).toMatchObject({ rollout: 0 });

    // Within the refresh interval the switch routes remotely, with no restart.
    await eventually(() => h.jeeves.routing.routingStatus().find((r) => r.module === 'weather')!, (r) => r.remotePercent === 100, 5000);
    await h.jeeves.weather.geocode('Paris');
    expect(weatherHits).toBeGreaterThan(hitsBefore);

    const page = await agent.get('/admin?moved=weather').expect(200);
    expect(page.text).toContain('<p class="notice" role="status">weather: placement saved.');
    expect(page.text).toMatch(/<tr data-module="weather">[\s\S]*?data-field="placement" data-value="remote">remote</);

    const back = await agent.post('/admin/modules/weather/placement').type('form').send({ placement: 'local', rollout: '', _csrf: csrf });
    expect(back.status).toBe(303);
    expect(flagsFile().flags['weather-remote']).toMatchObject({ rollout: 0 });
    await eventually(() => h.jeeves.routing.routingStatus().find((r) => r.module === 'weather')!, (r) => r.remotePercent === 0, 5000);
    const hitsAfterBack = weatherHits;
    await h.jeeves.weather.geocode('Paris');
    expect(weatherHits).toBe(hitsAfterBack);

    const entries = await h.jeeves.audit.list();
    expect(entries.map((e) => [e.actor, e.action, e.target, e.before, e.after])).toEqual([
      ['T0STANDIN/U0ALICE', 'placement', 'weather', { placement: 'remote', rollout: 100 }, { placement: 'local', rollout: 0 }],
      ['T0STANDIN/U0ALICE', 'placement', 'weather', { placement: 'local', rollout: 0 }, { placement: 'remote', rollout: 100 }],
    ]);
  });

  it('moving users to shadow at 30% writes the shadow flag and leaves remote at 0', async () => {
    const { agent, csrf } = await operatorWithCsrf();
    expect((await agent.post('/admin/modules/users/placement').type('form').send({ placement: 'shadow', rollout: '30', _csrf: csrf })).status).toBe(303);
    expect(flagsFile().flags['users-shadow']).toMatchObject({ enabled: true, rollout: 30 });
    expect(flagsFile().flags['users-remote']).toMatchObject({ rollout: 0 });
    await eventually(() => h.jeeves.routing.routingStatus().find((r) => r.module === 'users')!, (r) => r.shadowPercent === 30, 5000);
    await agent.post('/admin/modules/users/placement').type('form').send({ placement: 'local', _csrf: csrf }).expect(303);
  });
});

describe('POST /api/admin/modules/:name/placement', () => {
  const token = () => clientTokenFor(h.jeeves.app, ADMIN_CLIENT_ID, ADMIN_SECRET, ADMIN_AUDIENCE);

  it('with an admin token, then the change as JSON, audited as the service', async () => {
    const res = await request(h.jeeves.app)
      .post('/api/admin/modules/tokens/placement')
      .set('authorization', `Bearer ${await token()}`)
      .send({ placement: 'shadow', rollout: 5 })
      .expect(200);
    expect(placementChangeResponseSchema.parse(res.body)).toMatchObject({ module: 'tokens', before: { placement: 'local', rollout: 0 }, after: { placement: 'shadow', rollout: 5 } });
    expect((await h.jeeves.audit.list())[0]).toMatchObject({ actor: `service:${ADMIN_CLIENT_ID}`, target: 'tokens' });
    await request(h.jeeves.app).post('/api/admin/modules/tokens/placement').set('authorization', `Bearer ${await token()}`).send({ placement: 'local' }).expect(200);
  });

  it('with a rollout of 150, then 400; an unknown module, then 404', async () => {
    const bearer = `Bearer ${await token()}`;
    expect((await request(h.jeeves.app).post('/api/admin/modules/weather/placement').set('authorization', bearer).send({ placement: 'remote', rollout: 150 })).status).toBe(400);
    expect((await request(h.jeeves.app).post('/api/admin/modules/nonesuch/placement').set('authorization', bearer).send({ placement: 'remote', rollout: 1 })).status).toBe(404);
  });

  it("with an operator's session: without the CSRF header 403, with it 200", async () => {
    const { agent, csrf } = await operatorWithCsrf();
    expect((await agent.post('/api/admin/modules/users/placement').send({ placement: 'local' })).status).toBe(403);
    expect((await agent.post('/api/admin/modules/users/placement').set('x-csrf-token', csrf).send({ placement: 'local' })).status).toBe(200);
  });

  it('without a session or token, then 401; a member, then 403', async () => {
    expect((await request(h.jeeves.app).post('/api/admin/modules/users/placement').send({ placement: 'local' })).status).toBe(401);
    const member = await signedIn('U0CAROL');
    const csrf = ((await member.get(SESSION_API_PATH).expect(200)).body as { csrfToken: string }).csrfToken;
    expect((await member.post('/api/admin/modules/users/placement').set('x-csrf-token', csrf).send({ placement: 'local' })).status).toBe(403);
  });
});

describe('GET /admin/audit as an operator', () => {
  it('lists the moves newest first: who, when, action, target, before → after', async () => {
    const { agent, csrf } = await operatorWithCsrf();
    await agent.post('/admin/modules/users/placement').type('form').send({ placement: 'shadow', rollout: '20', _csrf: csrf }).expect(303);
    await agent.post('/admin/modules/users/placement').type('form').send({ placement: 'local', _csrf: csrf }).expect(303);
    const res = await agent.get('/admin/audit').expect(200);
    const rows = [...res.text.matchAll(/<tr data-audit-id="\d+">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d T0STANDIN\/U0ALICE placement users shadow at 20% → in-process$/);
    expect(rows[1]).toMatch(/T0STANDIN\/U0ALICE placement users in-process → shadow at 20%$/);
  });
});
