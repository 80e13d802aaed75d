import Redis from 'ioredis';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import {
  createDevOutbox,
  createSlackDelivery,
  createSlackWebClient,
  SLACK_DELIVERIES_QUEUE,
  type BotTokenProvider,
  type SlackDelivery,
} from '../../src/modules/slack';
import type { DeliveryFailure } from '../../src/modules/slack/slack.delivery';
import { createLogger } from '../../src/platform/logger';
import { createBullmqQueue, createMemoryQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { describeWithRedis, uniquePrefix } from '../support/redis';

/** Outgoing messages: queue → Web API client → Slack stand-in, or the dev outbox. */

// Jest ignores testTimeout inside a project entry (it is a global option); real servers under load need more than 5 s.
jest.setTimeout(60_000);

const logger = createLogger({ level: 'silent' });
let sequence = 0;
const nextKey = () => `reply:EvDELIVERY${Date.now().toString(36)}${(sequence += 1)}`;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Delivered (a completed delivery leaves the queue) or failed: nothing waiting, running or delayed. */
async function settled(queue: JobQueue): Promise<boolean> {
  const c = await queue.counts(SLACK_DELIVERIES_QUEUE);
  return c.waiting + c.active + c.delayed === 0;
}

function deliverySuite(makeQueue: () => JobQueue, cleanup: () => Promise<void> = async () => undefined): void {
  let db: TestDatabase;
  let queue: JobQueue;
  let standIn: SlackApiStandIn;
  let delivery: SlackDelivery;
  let givenUp: DeliveryFailure[];
  let arrived: string[];
  let token: string | undefined;

  const start = (overrides: { timeoutMs?: number; tokens?: BotTokenProvider } = {}) => {
    delivery = createSlackDelivery({
      queue,
      client: createSlackWebClient({ apiUrl: standIn.url, timeoutMs: overrides.timeoutMs ?? 2000 }),
      outbox: createDevOutbox(db.dataSource),
      tokens: overrides.tokens ?? (async () => token),
      logger,
      attempts: 4,
      backoffMs: 20,
      onGiveUp: async (failure) => {
        givenUp.push(failure);
      },
      onPosted: async (message) => {
        arrived.push(message.key);
      },
    });
    delivery.start();
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    standIn = await startSlackApiStandIn();
    queue = makeQueue();
    givenUp = [];
    arrived = [];
    token = standIn.token;
  });
  afterEach(async () => {
    await queue.close(2000);
    await standIn.close();
    await cleanup();
  });

  it('when Slack answers 429 with Retry-After: 1, then the message is posted once, after waiting', async () => {
    start();
    standIn.scriptResponses([{ status: 429, retryAfter: 1 }]);
    const started = Date.now();
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'hello', key: nextKey() });
    await until(() => standIn.messages.length === 1, 'the post');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await until(() => settled(queue), 'the job to settle');
    expect(standIn.messages).toEqual([expect.objectContaining({ channel: 'C1', text: 'hello' })]);
    expect(standIn.calls()).toBe(2);
  });

  it('when Slack answers 500, then the message is retried and posted once', async () => {
    start();
    standIn.scriptResponses([{ status: 500 }, { status: 503, body: 'upstream down' }]);
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'after errors', key: nextKey() });
    await until(() => standIn.messages.length === 1, 'the post');
    await until(() => settled(queue), 'the job to settle');
    expect(standIn.calls()).toBe(3);
    expect(standIn.messages).toHaveLength(1);
  });

  it('when Slack answers channel_not_found, then the message is not retried and is given up with that code', async () => {
    start();
    standIn.scriptResponses([{ error: 'channel_not_found' }]);
    const key = nextKey();
    await delivery.send({ teamId: 'T1', channel: 'CGONE', text: 'lost', key });
    await until(async () => (await queue.failed(SLACK_DELIVERIES_QUEUE)).length === 1, 'the failed job');
    expect(standIn.calls()).toBe(1);
    expect(givenUp).toEqual([expect.objectContaining({ code: 'SLACK.CHANNEL_NOT_FOUND', attemptsMade: 1, message: expect.objectContaining({ key }) })]);
  });

  it('when the bot token is wrong, then invalid_auth is permanent and not retried', async () => {
    token = 'xoxb-wrong';
    start();
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'hello', key: nextKey() });
    await until(() => givenUp.length === 1, 'the give-up');
    expect(givenUp[0]!.code).toBe('SLACK.INVALID_AUTH');
    expect(standIn.calls()).toBe(1);
  });

  it('when Slack refuses the token this process knew and the workspace has a new one (a reinstall elsewhere), then the message is posted once with the new one', async () => {
    const asked: Array<string | undefined> = [];
    start({
      tokens: async (_teamId, refused) => {
        asked.push(refused);
        return refused === 'xoxb-before-reinstall' ? standIn.token : 'xoxb-before-reinstall';
      },
    });
    const key = nextKey();
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'after a reinstall', key });
    await until(() => arrived.length === 1, 'the post');
    await until(() => settled(queue), 'the job to settle');
    expect(asked).toEqual([undefined, 'xoxb-before-reinstall']);
    expect(standIn.calls()).toBe(2);
    expect(standIn.messages).toEqual([expect.objectContaining({ channel: 'C1', text: 'after a reinstall', token: standIn.token })]);
    expect(givenUp).toEqual([]);
  });

  it('when Slack refuses a post for another reason, then no other token is asked for', async () => {
    const asked: Array<string | undefined> = [];
    start({
      tokens: async (_teamId, refused) => {
        asked.push(refused);
        return standIn.token;
      },
    });
    standIn.scriptResponses([{ error: 'not_in_channel' }]);
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'not a member', key: nextKey() });
    await until(() => givenUp.length === 1, 'the give-up');
    expect(givenUp[0]!.code).toBe('SLACK.NOT_IN_CHANNEL');
    expect(asked).toEqual([undefined]);
    expect(standIn.calls()).toBe(1);
  });

  it('when every attempt fails, then the message is given up after the last one', async () => {
    start();
    standIn.scriptResponses([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'never', key: nextKey() });
    await until(() => givenUp.length === 1, 'the give-up');
    expect(standIn.calls()).toBe(4);
    expect(givenUp[0]).toMatchObject({ code: 'DELIVERY.FAILED', attemptsMade: 4 });
  });

  it('when the same key is sent twice, then Slack gets one post', async () => {
    start();
    const key = nextKey();
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'once', key });
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'once', key });
    await until(() => standIn.messages.length >= 1, 'the post');
    await until(() => settled(queue), 'the job to settle');
    expect(standIn.messages).toHaveLength(1);
  });

  it('when Slack takes the post but answers too late, then the next try finds it in the channel and does not post it again', async () => {
    // Slack takes the post but answers after 1.5 s; the client gives up at 300 ms, and the next try looks first.
    standIn.scriptResponses([{ answerAfterMs: 1500 }]);
    start({ timeoutMs: 300 });
    const key = nextKey();
    await delivery.send({ teamId: 'T1', channel: 'CLATE', text: 'exactly once', key });
    await until(() => settled(queue), 'the job to settle');
    expect(standIn.calls()).toBe(1);
    expect(standIn.historyCalls()).toBe(1);
    expect(standIn.messages.map((m) => m.text)).toEqual(['exactly once']);
    expect(givenUp).toEqual([]);
  });

  it('when a message is posted, then the sender is told once, after the post', async () => {
    start();
    const key = nextKey();
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'told', key });
    await until(() => settled(queue), 'the job to settle');
    expect(arrived).toEqual([key]);
    expect(standIn.messages.map((m) => m.text)).toEqual(['told']);
    expect(standIn.historyCalls()).toBe(0);
  });

  it.each([
    ['already in the channel, then it is not posted again', true],
    ['not in the channel, then it is posted once, after looking', false],
  ])('when a message handed over again is %s, and the sender is told it arrived', async (_case, postedBefore) => {
    start();
    const key = nextKey();
    // The first hand-over's post, made before Redis lost its job.
    if (postedBefore) await createSlackWebClient({ apiUrl: standIn.url }).postMessage({ token: standIn.token, channel: 'CAGAIN', text: 'handed over again', key });
    await delivery.send({ teamId: 'T1', channel: 'CAGAIN', text: 'handed over again', key, mayBePostedSince: Date.now() - 60_000 });
    await until(() => settled(queue), 'the job to settle');
    expect(standIn.historyCalls()).toBe(1);
    expect(standIn.messages.map((m) => m.text)).toEqual(['handed over again']);
    expect(arrived).toEqual([key]);
  });

  it('when telling the sender fails, then the message is still posted once and the job completes', async () => {
    delivery = createSlackDelivery({
      queue,
      client: createSlackWebClient({ apiUrl: standIn.url }),
      outbox: createDevOutbox(db.dataSource),
      tokens: async () => token,
      logger,
      onPosted: async () => Promise.reject(new Error('database down')),
    });
    delivery.start();
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'posted anyway', key: nextKey() });
    await until(() => settled(queue), 'the job to settle');
    expect(standIn.messages.map((m) => m.text)).toEqual(['posted anyway']);
    // Completed: a delivered message's job leaves the queue, and it did not fail.
    expect(await queue.counts(SLACK_DELIVERIES_QUEUE)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
  });

  it('when Slack answered the first try with an error, then the next try posts at once, without looking in the channel', async () => {
    standIn.scriptResponses([{ status: 500 }]);
    start();
    await delivery.send({ teamId: 'T1', channel: 'C1', text: 'second time lucky', key: nextKey() });
    await until(() => settled(queue), 'the job to settle');
    expect(standIn.calls()).toBe(2);
    expect(standIn.historyCalls()).toBe(0);
    expect(standIn.messages.map((m) => m.text)).toEqual(['second time lucky']);
  });

  it('when the workspace has no bot token, then the message goes to the dev outbox once and Slack gets nothing', async () => {
    token = undefined;
    start();
    const channel = `DOUT${sequence}`;
    await delivery.send({ teamId: 'T1', channel, text: 'to the outbox', threadTs: '1.000001', key: nextKey() });
    const outbox = createDevOutbox(db.dataSource);
    await until(async () => (await outbox.list({ channel })).length === 1, 'the outbox message');
    await until(() => settled(queue), 'the job to settle');
    expect(await outbox.list({ channel })).toEqual([expect.objectContaining({ channel, text: 'to the outbox', threadTs: '1.000001', teamId: 'T1' })]);
    expect(standIn.calls()).toBe(0);
    expect(arrived).toHaveLength(1);
  });
}

describe('Slack delivery on the in-process queue', () => {
  deliverySuite(() => createMemoryQueue({ logger }));
});

describeWithRedis('Slack delivery on BullMQ', (redisUrl) => {
  let prefix = '';
  deliverySuite(
    () => {
      prefix = uniquePrefix('slack-delivery');
      return createBullmqQueue({ redisUrl, prefix, logger });
    },
    async () => {
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  );
});
