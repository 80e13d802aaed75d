import { AUTHORIZE_PATH, createSlackOpenIdRoutes } from '../../scripts/stand-ins/slack-openid.stand-in';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import type { Env } from '../../src/config';
import { startJeevesHarness, type JeevesHarness } from './jeeves-harness';

/** The whole monolith with Sign in with Slack answered by the OpenID stand-in; close both. */
export async function startSignInHarness(env: Env = {}): Promise<{ h: JeevesHarness; slack: SlackApiStandIn }> {
  const openId = await createSlackOpenIdRoutes();
  const slack = await startSlackApiStandIn({ routes: (req, res, raw) => openId.handle(req, res, raw) });
  const h = await startJeevesHarness(
    {
      SLACK_OPENID_URL: `${slack.url.replace(/api\/$/, '')}${AUTHORIZE_PATH.slice(1)}`,
      SLACK_CLIENT_ID: openId.clientId,
      SLACK_CLIENT_SECRET: openId.clientSecret,
      PUBLIC_URL: 'http://jeeves.test',
      ...env,
    },
    { slack },
  );
  return { h, slack };
}
