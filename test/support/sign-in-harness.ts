import type { Express } from 'express';
import request from 'supertest';
import { AUTHORIZE_PATH, createSlackOpenIdRoutes } from '../../scripts/stand-ins/slack-openid.stand-in';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import type { Env } from '../../src/config';
import { createRoles } from '../../src/modules/auth';
import { signIn, type Agent } from './auth-app';
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

/** An agent signed in as `member` through the stand-in (the callback's 303 checked). */
export async function signedInAgent(app: Express, member: string): Promise<Agent> {
  const agent = request.agent(app);
  const res = await signIn(agent, member);
  if (res.status !== 303) throw new Error(`signing in as ${member} answered ${res.status}`);
  return agent;
}

/** The stand-in's members as the admin tests cast them: Alice an operator, Bob a workspace admin, Carol a member. */
export async function castAdminRoles(h: JeevesHarness): Promise<void> {
  const roles = createRoles(h.database.dataSource);
  await roles.grant({ teamId: 'T0STANDIN', userId: 'U0ALICE', role: 'operator', grantedBy: 'command' });
  await roles.grant({ teamId: 'T0STANDIN', userId: 'U0BOB', role: 'admin', grantedBy: 'command' });
}
