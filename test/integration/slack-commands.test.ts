import type { Express } from 'express';
import request from 'supertest';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createApp } from '../../src/platform/app';
import {
  createDevOutbox,
  createSlackCommandsRouter,
  createSlackDelivery,
  createSlackWebClient,
  signSlackRequest,
  type MessageHandler,
} from '../../src/modules/slack';
import { WORKING_ON_IT } from '../../src/modules/slack/slack.commands.routes';
import type { IncomingSlackMessage } from '../../src/modules/slack/slack.types';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createMemoryQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** POST /slack/commands: `/jeeves <text>`, answered within Slack's 3 seconds one way or another. */

// Jest ignores testTimeout inside a project entry (it is a global option); real servers under load need more than 5 s.
jest.setTimeout(60_000);

const SECRET = 'slack-commands-test-secret';
const BUDGET_MS = 300;
const logger = createLogger({ level: 'silent' });

/** samples/slack-slash-command.txt */
function slashCommand(fields: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0001',
    team_domain: 'example',
    enterprise_id: 'E0001',
    enterprise_name: 'Globular Construct Inc',
    channel_id: 'C2147483705',
    channel_name: 'test',
    user_id: 'U2147483697',
    user_name: 'Steve',
    command: '/jeeves',
    text: 'weather in Lyon',
    response_url: 'https://hooks.slack.com/commands/1234/5678',
    trigger_id: `13345224609.738474920.${Math.random().toString(16).slice(2)}`,
    api_app_id: 'A123456',
    ...fields,
  }).toString();
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('POST /slack/commands', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  let standIn: SlackApiStandIn;
  let handled: IncomingSlackMessage[];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    standIn = await startSlackApiStandIn();
    queue = createMemoryQueue({ logger });
    handled = [];
  });
  afterEach(async () => {
    await queue.close(2000);
    await standIn.close();
  });

  function appWith(handler: MessageHandler): Express {
    const delivery = createSlackDelivery({
      queue,
      client: createSlackWebClient({ apiUrl: standIn.url }),
      outbox: createDevOutbox(db.dataSource),
      tokens: async () => standIn.token,
      logger,
    });
    delivery.start();
    const recording: MessageHandler = (message) => {
      handled.push(message);
      return handler(message);
    };
    const router = createSlackCommandsRouter({ signingSecret: SECRET, handler: recording, delivery, logger, budgetMs: BUDGET_MS });
    return createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, rawBodyRoutes: [{ path: '/slack', router }] });
  }

  const post = (app: Express, body: string, headers = signSlackRequest(SECRET, body)) =>
    request(app).post('/slack/commands').set('content-type', 'application/x-www-form-urlencoded').set(headers).send(body);

  it('when the handler answers in time, then the answer is in the response body, ephemeral', async () => {
    const app = appWith(async (m) => `It is 11°C in ${m.text.replace('weather in ', '')}.`);
    const res = await post(app, slashCommand()).expect(200);
    expect(res.body).toEqual({ response_type: 'ephemeral', text: 'It is 11°C in Lyon.' });
    expect(handled).toEqual([expect.objectContaining({ teamId: 'T0001', userId: 'U2147483697', channelId: 'C2147483705', text: 'weather in Lyon', source: 'command' })]);
    expect(standIn.calls()).toBe(0);
  });

  it('when the handler is slower than the budget, then "Working on it" at once and the answer is delivered to the channel once', async () => {
    const app = appWith(async () => {
      await new Promise((resolve) => setTimeout(resolve, BUDGET_MS * 2));
      return 'the slow answer';
    });
    const started = Date.now();
    const res = await post(app, slashCommand()).expect(200);
    expect(Date.now() - started).toBeLessThan(BUDGET_MS * 2);
    expect(res.body).toEqual({ response_type: 'ephemeral', text: WORKING_ON_IT });
    await until(() => standIn.messages.length === 1, 'the late answer');
    expect(standIn.messages).toEqual([expect.objectContaining({ channel: 'C2147483705', text: 'the slow answer' })]);
  });

  it('when the handler fails, then the person gets an apology rather than a Slack error', async () => {
    const app = appWith(async () => {
      throw new Error('database down');
    });
    const res = await post(app, slashCommand()).expect(200);
    expect(res.body).toEqual({ response_type: 'ephemeral', text: expect.stringContaining('Sorry') });
  });

  it('when the signature is wrong, then 401 and the handler is not called', async () => {
    const app = appWith(async () => 'never');
    const body = slashCommand();
    const res = await post(app, body, signSlackRequest('another-secret', body)).expect(401);
    expect(res.body.error.code).toBe('SLACK.BAD_SIGNATURE');
    expect(handled).toEqual([]);
  });

  it('when a required field is missing, then 400', async () => {
    const app = appWith(async () => 'never');
    const body = new URLSearchParams({ command: '/jeeves', text: 'help' }).toString();
    await post(app, body).expect(400);
    expect(handled).toEqual([]);
  });
});
