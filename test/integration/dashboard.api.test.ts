import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import request from 'supertest';
import type { SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createRoles } from '../../src/modules/auth';
import { modulesPanelSchema, queuesPanelSchema } from '../../src/modules/dashboard';
import { REMINDERS_QUEUE } from '../../src/modules/reminders';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE } from '../../src/modules/slack';
import { wireDashboard } from '../../src/monolith/wire-dashboard';
import { ADMIN_CLIENT_ID } from '../../src/monolith/wire-switched-modules';
import { monolithOpenApi } from '../../src/monolith/wire-openapi';
import { createApp } from '../../src/platform/app';
import { createOpenApiResponseValidator } from '../../src/platform/openapi';
import { createBullmqQueue } from '../../src/platform/queue';
import { ADMIN_AUDIENCE } from '../../src/platform/service-auth';
import { signIn, type Agent } from '../support/auth-app';
import { eventually, type JeevesHarness } from '../support/jeeves-harness';
import { startSignInHarness } from '../support/sign-in-harness';
import { closedPort, silentLogger } from '../support/queue-helpers';
import { basicAuth } from '../support/service-tokens';

/** GET /api/admin/modules and /api/admin/queues: an operator's (or an admin token's) view only. */

jest.setTimeout(60_000);

const ADMIN_SECRET = 'the-operators-admin-client-secret-of-40-chars';
let slack: SlackApiStandIn;
let h: JeevesHarness;

beforeAll(async () => {
  ({ h, slack } = await startSignInHarness({ ADMIN_CLIENT_SECRET: ADMIN_SECRET, WEATHER_SERVICE_URL: 'http://127.0.0.1:9', FLAGS_REFRESH_MS: '100' }));
  const roles = createRoles(h.database.dataSource);
  await roles.grant({ teamId: 'T0STANDIN', userId: 'U0ALICE', role: 'operator', grantedBy: 'command' });
  await roles.grant({ teamId: 'T0STANDIN', userId: 'U0BOB', role: 'admin', grantedBy: 'command' });
});

afterAll(async () => {
  await h?.close();
  await slack?.close();
});

async function signedIn(member: string): Promise<Agent> {
  const agent = request.agent(h.jeeves.app);
  expect((await signIn(agent, member)).status).toBe(303);
  return agent;
}

const adminToken = async () =>
  (
    (await request(h.jeeves.app).post('/oauth/token').set('authorization', basicAuth(ADMIN_CLIENT_ID, ADMIN_SECRET)).type('form').send({ grant_type: 'client_credentials', audience: ADMIN_AUDIENCE }).expect(200))
      .body as { access_token: string }
  ).access_token;

describe.each(['/api/admin/modules', '/api/admin/queues'])('GET %s', (path) => {
  it('without a session or a token, then 401', async () => {
    expect((await request(h.jeeves.app).get(path)).status).toBe(401);
  });

  it("with a workspace admin's session, then 403", async () => {
    expect((await (await signedIn('U0BOB')).get(path)).status).toBe(403);
  });

  it("with a member's session, then 403", async () => {
    expect((await (await signedIn('U0CAROL')).get(path)).status).toBe(403);
  });

  it('with an admin service token, then 200', async () => {
    expect((await request(h.jeeves.app).get(path).set('authorization', `Bearer ${await adminToken()}`)).status).toBe(200);
  });
});

it("with an operator's session, then a row per switched module whose placement follows the flags", async () => {
  const agent = await signedIn('U0ALICE');
  const before = modulesPanelSchema.parse((await agent.get('/api/admin/modules').expect(200)).body);
  expect(before.modules.map((m) => m.module)).toEqual(['tokens', 'users', 'weather']);
  expect(before.modules.find((m) => m.module === 'weather')).toMatchObject({ placement: 'local', remotePercent: 0, remoteConfigured: true });
  expect(before.process).toBe(`${hostname()}:${process.pid}`);

  writeFileSync(h.infra.config.FLAGS_FILE!, JSON.stringify({ flags: { 'weather-remote': { enabled: true, rollout: 100, stickiness: 'teamId' } } }));
  const after = await eventually(
    async () => modulesPanelSchema.parse((await agent.get('/api/admin/modules').expect(200)).body),
    (panel) => panel.modules.find((m) => m.module === 'weather')?.placement === 'remote',
  );
  expect(after.modules.find((m) => m.module === 'weather')).toMatchObject({ placement: 'remote', rollout: 100, remotePercent: 100, stickiness: 'teamId', routing: 'remote' });
  expect(after.modules.find((m) => m.module === 'users')).toMatchObject({ placement: 'local', remotePercent: 0 });
});

it("with an operator's session, then every queue with counts that move when a job is enqueued", async () => {
  const agent = await signedIn('U0ALICE');
  const before = queuesPanelSchema.parse((await agent.get('/api/admin/queues').expect(200)).body);
  expect(before.queues.map((q) => q.queue)).toEqual(expect.arrayContaining([SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE, REMINDERS_QUEUE]));
  const waitingBefore = before.queues.find((q) => q.queue === REMINDERS_QUEUE)!;

  // Delayed an hour, so no worker takes it before the panel is read.
  await h.infra.queue.add(REMINDERS_QUEUE, 'dashboard-probe', { nothing: true }, { delayMs: 3_600_000 });
  const after = queuesPanelSchema.parse((await agent.get('/api/admin/queues').expect(200)).body);
  const row = after.queues.find((q) => q.queue === REMINDERS_QUEUE)!;
  expect(row.delayed + row.waiting).toBe(waitingBefore.delayed + waitingBefore.waiting + 1);
});

it('when the queue backend is a stopped Redis, then GET /queues answers 503 with a JSON error, soon', async () => {
  const stopped = createBullmqQueue({ redisUrl: `redis://127.0.0.1:${await closedPort()}`, logger: silentLogger(), connectWaitMs: 200 });
  try {
    const router = wireDashboard(h.infra, { routing: h.jeeves.routing, auth: (_req, _res, next) => next(), audit: h.jeeves.audit, queue: stopped });
    const app = createApp({ logger: h.infra.logger, metrics: h.infra.metrics, readiness: {}, routes: [{ path: '/api/admin', router }] });
    const res = await request(app).get('/api/admin/queues').timeout(10_000);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: { code: 'DASHBOARD.QUEUES_UNAVAILABLE', message: expect.stringContaining('cannot be read') } });
    // The answer /openapi.json promises.
    expect(createOpenApiResponseValidator(monolithOpenApi()).check({ method: 'GET', path: '/api/admin/queues', status: 503, body: res.body })).toEqual([]);
  } finally {
    await stopped.close(0);
  }
});

it('after calls through the switch, the modules panel shows them in the last minute and in the totals', async () => {
  const agent = await signedIn('U0ALICE');
  const row = async () => modulesPanelSchema.parse((await agent.get('/api/admin/modules').expect(200)).body).modules.find((m) => m.module === 'users')!;
  const before = (await row()).routes.find((r) => r.route === 'local');
  await h.jeeves.users.getOrCreate({ teamId: 'T0STANDIN', userId: 'U0PANEL' });
  await h.jeeves.users.get({ teamId: 'T0STANDIN', userId: 'U0PANEL' });
  const after = (await row()).routes.find((r) => r.route === 'local')!;
  expect(after.callsPerMinute).toBe((before?.callsPerMinute ?? 0) + 2);
  expect(after.totalCalls).toBe((before?.totalCalls ?? 0) + 2);
});
