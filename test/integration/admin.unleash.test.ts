import { createUnleashFlagAdmin } from '../../src/platform/flags';
import type { SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { eventually, type JeevesHarness } from '../support/jeeves-harness';
import { castAdminRoles, signedInAgent, startSignInHarness } from '../support/sign-in-harness';
import { describeWithUnleash, startUnleashServer, type RunningUnleash } from '../support/unleash-server';

/** The Modules page's move written to a real Unleash through its admin API, and followed by the switch. */

describeWithUnleash('POST /admin/modules/:name/placement with Unleash', () => {
  let server: RunningUnleash;
  let slack: SlackApiStandIn;
  let h: JeevesHarness;

  beforeAll(async () => {
    server = await startUnleashServer();
    ({ h, slack } = await startSignInHarness({
      UNLEASH_URL: server.url,
      UNLEASH_API_TOKEN: server.apiToken,
      UNLEASH_ADMIN_TOKEN: server.adminToken,
      WEATHER_SERVICE_URL: 'http://127.0.0.1:9',
      FLAGS_REFRESH_MS: '200',
    }));
    await castAdminRoles(h);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await slack?.close();
    await server?.stop();
  }, 30_000);

  it('moving weather to remote at 50% sets weather-remote in Unleash, the switch follows, and it is audited; local brings it back', async () => {
    const agent = await signedInAgent(h.jeeves.app, 'U0ALICE');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/admin').expect(200)).text)![1]!;
    expect((await agent.post('/admin/modules/weather/placement').type('form').send({ placement: 'remote', rollout: '50', _csrf: csrf })).status).toBe(303);

    const unleash = createUnleashFlagAdmin({ url: server.url, adminToken: server.adminToken });
    const flags = await unleash.list();
    expect(flags.find((f) => f.name === 'weather-remote')).toMatchObject({ enabled: true, rollout: 50 });
    expect(flags.find((f) => f.name === 'weather-shadow')).toMatchObject({ rollout: 0 });
    await eventually(() => h.jeeves.routing.routingStatus().find((r) => r.module === 'weather')!, (r) => r.remotePercent === 50, 30_000);
    expect((await h.jeeves.audit.list())[0]).toMatchObject({ target: 'weather', before: { placement: 'local', rollout: 0 }, after: { placement: 'remote', rollout: 50 } });

    expect((await agent.post('/admin/modules/weather/placement').type('form').send({ placement: 'local', _csrf: csrf })).status).toBe(303);
    await eventually(() => h.jeeves.routing.routingStatus().find((r) => r.module === 'weather')!, (r) => r.remotePercent === 0, 30_000);
  }, 90_000);
});
