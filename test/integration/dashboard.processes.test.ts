import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { modulesPanelSchema } from '../../src/modules/dashboard';
import { ADMIN_CLIENT_ID } from '../../src/monolith/wire-switched-modules';
import { ADMIN_AUDIENCE } from '../../src/platform/service-auth';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { clientTokenFor } from '../support/service-tokens';

/**
 * Two web processes of one deployment (one database, one flags file): the modules panel of
 * each shows the same placements, read from the flag backend, and its own call figures.
 */

jest.setTimeout(60_000);

const ADMIN_SECRET = 'the-operators-admin-client-secret-of-40-chars';
let first: JeevesHarness;
let second: JeevesHarness;

beforeAll(async () => {
  // What every process of a deployment shares besides the database.
  const env = {
    ADMIN_CLIENT_SECRET: ADMIN_SECRET,
    SERVICE_CLIENT_SECRET: 'the-monolith-service-client-secret-of-40',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WEATHER_SERVICE_URL: 'http://127.0.0.1:9',
    FLAGS_REFRESH_MS: '100',
  };
  first = await startJeevesHarness(env);
  second = await startJeevesHarness({ ...env, FLAGS_FILE: first.infra.config.FLAGS_FILE! }, { database: first.database });
});

afterAll(async () => {
  await second?.close();
  await first?.close();
});

async function panelOf(h: JeevesHarness) {
  const token = await clientTokenFor(h.jeeves.app, ADMIN_CLIENT_ID, ADMIN_SECRET, ADMIN_AUDIENCE);
  return modulesPanelSchema.parse((await request(h.jeeves.app).get('/api/admin/modules').set('authorization', `Bearer ${token}`).expect(200)).body);
}

const placements = (panel: Awaited<ReturnType<typeof panelOf>>) =>
  panel.modules.map(({ module, placement, rollout, remotePercent, shadowPercent, stickiness }) => ({ module, placement, rollout, remotePercent, shadowPercent, stickiness }));

it('after a change to the shared flags file, both processes show the same new placement', async () => {
  expect(placements(await panelOf(first))).toEqual(placements(await panelOf(second)));

  writeFileSync(first.infra.config.FLAGS_FILE!, JSON.stringify({ flags: { 'weather-shadow': { enabled: true, rollout: 30, stickiness: 'userId' } } }));
  const isShadow = (panel: Awaited<ReturnType<typeof panelOf>>) => panel.modules.find((m) => m.module === 'weather')?.placement === 'shadow';
  const a = await eventually(() => panelOf(first), isShadow);
  const b = await eventually(() => panelOf(second), isShadow);
  expect(a.modules.find((m) => m.module === 'weather')).toMatchObject({ placement: 'shadow', rollout: 30, shadowPercent: 30, stickiness: 'userId' });
  expect(placements(a)).toEqual(placements(b));
});

it("each process's call figures are its own, and the panel says which ones those are", async () => {
  const calls = async (h: JeevesHarness) => (await panelOf(h)).modules.find((m) => m.module === 'users')!.routes.find((r) => r.route === 'local')?.totalCalls ?? 0;
  const [firstBefore, secondBefore] = [await calls(first), await calls(second)];
  await first.jeeves.users.getOrCreate({ teamId: 'T0PROCESS', userId: 'U0ONLYFIRST' });
  expect(await calls(first)).toBe(firstBefore + 1);
  expect(await calls(second)).toBe(secondBefore);
  expect((await panelOf(second)).processFigures).toEqual(expect.arrayContaining(['routes', 'shadowMismatchRate', 'recentMismatches']));
});
