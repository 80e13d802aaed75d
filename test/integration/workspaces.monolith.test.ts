import request from 'supertest';
import { startSlackWithOAuth, type SlackWithOAuth } from '../../scripts/stand-ins/slack-oauth.stand-in';
import { createDeadLetters, signSlackRequest } from '../../src/modules/slack';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { install } from '../support/workspaces-stack';

/**
 * Many workspaces through the whole monolith: Add to Slack stores a workspace, whose messages
 * then go out with its own bot token (the single-token shortcut serves the teams that never
 * installed), the installer is its admin, and once Slack says it uninstalled or revoked the bot
 * token nothing is posted to it again, with any token: its messages are dead-lettered.
 */

jest.setTimeout(60_000);

const SECOND = { team: 'T0SECOND', teamName: 'Second Team', user: 'U0INSTALL' };
const THIRD = { team: 'T0THIRD', teamName: 'Third Team', user: 'U0THIRDINS' };

let slack: SlackWithOAuth;
let h: JeevesHarness;

beforeAll(async () => {
  slack = await startSlackWithOAuth();
  h = await startJeevesHarness(
    {
      SLACK_API_URL: slack.api.url,
      SLACK_OAUTH_URL: slack.oauthUrl,
      SLACK_CLIENT_ID: slack.oauth.clientId,
      SLACK_CLIENT_SECRET: slack.oauth.clientSecret,
      SLACK_BOT_TOKEN: slack.api.token,
      PUBLIC_URL: 'http://jeeves.test',
    },
    { slack: slack.api },
  );
  expect((await install({ app: h.jeeves.app }, SECOND)).status).toBe(200);
  expect((await install({ app: h.jeeves.app }, THIRD)).status).toBe(200);
});

afterAll(async () => {
  await h?.close();
  await slack?.api.close();
});

async function dm(text: string, teamId: string, channel: string): Promise<void> {
  const { body, headers } = h.signedDm(text, { teamId, channel });
  await request(h.jeeves.app).post('/slack/events').set(headers).send(body).expect(200);
}

async function slackSays(event: Record<string, unknown>, teamId: string): Promise<void> {
  const body = JSON.stringify({ token: 'unused', team_id: teamId, api_app_id: 'A0MDYCDME', event, type: 'event_callback', event_id: `Ev${Date.now()}${Math.random().toString(36).slice(2, 8)}`, event_time: Math.floor(Date.now() / 1000) });
  await request(h.jeeves.app).post('/slack/events').set({ 'content-type': 'application/json', ...signSlackRequest(h.signingSecret, body) }).send(body).expect(200);
}

const postsTo = (channel: string) => slack.api.messages.filter((m) => m.channel === channel);

it('when an installed workspace writes, then the reply goes out with its own token; a team that never installed gets the shortcut token', async () => {
  await dm('help', SECOND.team, 'D0SECOND');
  await dm('help', 'T061EG9R6', 'D0SHORTCUT');
  await h.jobsEnded();
  expect(postsTo('D0SECOND').map((m) => m.token)).toEqual([slack.oauth.currentToken(SECOND.team)]);
  expect(postsTo('D0SHORTCUT').map((m) => m.token)).toEqual([slack.api.token]);
  expect(slack.oauth.currentToken(SECOND.team)).not.toBe(slack.api.token);
});

it('the installer of the first workspace is its admin and the first operator; the next installer only admin of theirs', async () => {
  await expect(h.jeeves.auth.roles.rolesOf(SECOND.team, SECOND.user)).resolves.toEqual(expect.arrayContaining(['admin', 'operator']));
  await expect(h.jeeves.auth.roles.rolesOf(THIRD.team, THIRD.user)).resolves.toEqual(['admin']);
});

it('when Slack says app_uninstalled, then the workspace is answered no more, with any token, and its message is dead-lettered "uninstalled"', async () => {
  await slackSays({ type: 'app_uninstalled' }, SECOND.team);
  const before = slack.api.messages.length;
  await dm('help', SECOND.team, 'D0SECOND');
  await h.jobsEnded();
  expect(slack.api.messages.length).toBe(before);
  const dead = await createDeadLetters({ dataSource: h.database.dataSource }).list(10);
  expect(dead).toEqual([expect.objectContaining({ teamId: SECOND.team, channel: 'D0SECOND', code: 'SLACK.UNINSTALLED', reason: expect.stringMatching(/^uninstalled/) })]);
});

it('when Slack says tokens_revoked for the bot, then that workspace is answered no more either', async () => {
  const bot = (await h.jeeves.workspaces.installation(THIRD.team))!.botUserId!;
  await slackSays({ type: 'tokens_revoked', tokens: { oauth: [], bot: [bot] } }, THIRD.team);
  const before = slack.api.messages.length;
  await dm('help', THIRD.team, 'D0THIRD');
  await h.jobsEnded();
  expect(slack.api.messages.length).toBe(before);
  const dead = await createDeadLetters({ dataSource: h.database.dataSource }).list(10);
  expect(dead.map((d) => [d.teamId, d.code])).toContainEqual([THIRD.team, 'SLACK.UNINSTALLED']);
});

it("when a workspace is answered no more, then its members' daily alerts tick without a lookup, a post or a dead letter", async () => {
  const member = { teamId: THIRD.team, userId: 'U0THIRDMEM' };
  await h.jeeves.alerts.enable(member, 'D0THIRD');
  const dead = (await createDeadLetters({ dataSource: h.database.dataSource }).list(50)).length;
  const before = slack.api.messages.length;

  await expect(h.jeeves.alerts.send(member)).resolves.toBe('skipped');
  await h.jobsEnded();

  expect(slack.api.messages.length).toBe(before);
  expect(await createDeadLetters({ dataSource: h.database.dataSource }).list(50)).toHaveLength(dead);
  await expect(h.jeeves.alerts.get(member)).resolves.toMatchObject({ enabled: true });
});

it('when a workspace installs again, then it is answered again with its new token', async () => {
  expect((await install({ app: h.jeeves.app }, SECOND)).status).toBe(200);
  await dm('help', SECOND.team, 'D0SECOND');
  await h.jobsEnded();
  const posts = postsTo('D0SECOND');
  expect(posts.at(-1)!.token).toBe(slack.oauth.currentToken(SECOND.team));
  expect(posts).toHaveLength(2);
});
