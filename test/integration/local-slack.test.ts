import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runSlackCli } from '../../scripts/slack';
import { startLocalSlack, type LocalSlack } from '../../scripts/stand-ins/local-slack.stand-in';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { install } from '../support/workspaces-stack';

/**
 * `npm run slack -- --oauth`'s Slack, as a new user would use it: Add to Slack through it, then
 * `npm run slack -- help` for the installed workspace is answered with that workspace's token,
 * and the CLI reads the reply back from that Slack.
 */

jest.setTimeout(60_000);

let local: LocalSlack;
let h: JeevesHarness;
let server: Server;
let jeevesUrl: string;

beforeAll(async () => {
  local = await startLocalSlack({ port: 0 });
  h = await startJeevesHarness({ ...local.env, SLACK_BOT_TOKEN: local.api.token, PUBLIC_URL: 'http://jeeves.test' }, { slack: local.api });
  server = h.jeeves.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  jeevesUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
  await local?.close();
});

it('after Add to Slack through the local Slack, `npm run slack -- help` for that workspace is answered with its own token and printed', async () => {
  expect((await install({ app: h.jeeves.app })).status).toBe(200);
  const printed: string[] = [];
  const errors: string[] = [];
  const code = await runSlackCli({
    argv: ['help', '--team', 'T0STANDIN', '--user', 'U0ALICE'],
    env: { JEEVES_URL: jeevesUrl, SLACK_API_URL: local.env.SLACK_API_URL!, SLACK_SIGNING_SECRET: h.signingSecret },
    out: (line) => printed.push(line),
    err: (line) => errors.push(line),
  });
  expect({ code, errors }).toEqual({ code: 0, errors: [] });
  expect(printed.join('\n')).toContain("Here's what I can do");
  const reply = local.api.messages.find((m) => m.channel === 'D0ALICE');
  expect(reply?.token).toMatch(/^xoxb-/);
  expect(reply?.token).not.toBe(local.api.token);
  // The installer is the workspace's admin and, first of all, an operator.
  await expect(h.jeeves.auth.roles.rolesOf('T0STANDIN', 'U0ALICE')).resolves.toEqual(expect.arrayContaining(['admin', 'operator']));
});
