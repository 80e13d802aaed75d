import request from 'supertest';
import type { SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { auditListSchema } from '../../src/modules/audit';
import type { JeevesHarness } from '../support/jeeves-harness';
import { castAdminRoles, signedInAgent, startSignInHarness } from '../support/sign-in-harness';

/** GET /api/admin/audit: the audit log's JSON twin, an operator's only. */

jest.setTimeout(60_000);

let slack: SlackApiStandIn;
let h: JeevesHarness;

beforeAll(async () => {
  ({ h, slack } = await startSignInHarness());
  await castAdminRoles(h);
  await h.jeeves.audit.record({ actor: 'T0STANDIN/U0ALICE', teamId: null, action: 'placement', target: 'weather', before: { placement: 'local', rollout: 0 }, after: { placement: 'remote', rollout: 100 } });
  await h.jeeves.audit.record({ actor: 'T0STANDIN/U0ALICE', teamId: 'T0STANDIN', action: 'promote', target: 'T0STANDIN/U0BOB', before: ['member'], after: ['admin'] });
});

afterAll(async () => {
  await h?.close();
  await slack?.close();
});

const signedIn = (member: string) => signedInAgent(h.jeeves.app, member);

it('without a session, then 401', async () => {
  expect((await request(h.jeeves.app).get('/api/admin/audit')).status).toBe(401);
});

it.each(['U0BOB', 'U0CAROL'])("with %s's session (workspace admin, member), then 403", async (member) => {
  expect((await (await signedIn(member)).get('/api/admin/audit')).status).toBe(403);
});

it("with an operator's session, then every entry newest first, in the schema's shape", async () => {
  const body = auditListSchema.parse((await (await signedIn('U0ALICE')).get('/api/admin/audit').expect(200)).body);
  expect(body.entries.map((e) => e.action)).toEqual(['promote', 'placement']);
  expect(body.entries[1]).toMatchObject({ target: 'weather', before: { placement: 'local', rollout: 0 }, after: { placement: 'remote', rollout: 100 } });
});

it('with teamId and limit, then that workspace only, at most limit', async () => {
  const agent = await signedIn('U0ALICE');
  expect(auditListSchema.parse((await agent.get('/api/admin/audit?teamId=T0STANDIN').expect(200)).body).entries.map((e) => e.target)).toEqual(['T0STANDIN/U0BOB']);
  expect(auditListSchema.parse((await agent.get('/api/admin/audit?limit=1').expect(200)).body).entries).toHaveLength(1);
});

it('with a limit out of bounds, then 400', async () => {
  expect((await (await signedIn('U0ALICE')).get('/api/admin/audit?limit=100000')).status).toBe(400);
});
