import Redis from 'ioredis';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createDevOutbox, createSlackDelivery, createSlackRateLimiter, createSlackWebClient, SLACK_DELIVERIES_QUEUE } from '../../src/modules/slack';
import { createLogger } from '../../src/platform/logger';
import { createJobQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteKeys, ended, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';
import { expectOneSlotPerChannel } from '../support/slack-rate-limit';

/** Workers scale out: two processes' worth of queues on one BullMQ prefix, no message twice, none missing. */

jest.setTimeout(120_000);

const logger = createLogger({ level: 'silent' });

describeWithRedis('Slack delivery with two BullMQ workers', (redisUrl) => {
  let db: TestDatabase;
  let standIn: SlackApiStandIn;
  let prefix: string;
  let queues: JobQueue[];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    standIn = await startSlackApiStandIn();
    prefix = uniquePrefix('delivery');
    queues = [];
  });
  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close(2000)));
    await standIn.close();
    await deleteKeys(redisUrl, prefix);
  });

  const worker = (limiter = createSlackRateLimiter({ enabled: false })) => {
    const queue = createJobQueue({ redisUrl, prefix, logger });
    queues.push(queue);
    const delivery = createSlackDelivery({
      queue,
      client: createSlackWebClient({ apiUrl: standIn.url, timeoutMs: 5000 }),
      outbox: createDevOutbox(db.dataSource),
      tokens: async () => standIn.token,
      logger,
      concurrency: 8,
      limiter,
    });
    delivery.start();
    return delivery;
  };

  it('when two workers deliver 1,000 messages, then each is posted exactly once', async () => {
    const [a] = [worker(), worker()];
    const total = 1000;
    const texts = Array.from({ length: total }, (_, i) => `message ${i}`);
    for (let i = 0; i < total; i += 100) {
      await Promise.all(texts.slice(i, i + 100).map((text, j) => a!.send({ teamId: 'T1', channel: `C${(i + j) % 20}`, text, key: `bulk:${prefix}:${i + j}` })));
    }
    // Every job has ended (a completed delivery leaves the queue): no try is left that could post again.
    await waitFor(() => ended(queues[0]!, SLACK_DELIVERIES_QUEUE), 'every delivery to end', 90_000);
    const posted = standIn.messages.map((m) => m.text);
    expect(posted).toHaveLength(total);
    expect(new Set(posted).size).toBe(total);
    expect([...posted].sort()).toEqual([...texts].sort());
    const counts = await queues[0]!.counts(SLACK_DELIVERIES_QUEUE);
    expect(counts.failed).toBe(0);
  });

  it('when the Redis rate limiter is on, then one slot per workspace+channel is shared through Redis', async () => {
    const redis = new Redis(redisUrl);
    try {
      await expectOneSlotPerChannel(redis, redis, `${prefix}:rate:`);
    } finally {
      redis.disconnect();
    }
  });
});
