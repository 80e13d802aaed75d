import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { loadConfig, WORKER_QUEUES } from '../../src/config';
import { openInfrastructure } from '../../src/infrastructure/infrastructure';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE, type OutgoingSlackMessage } from '../../src/modules/slack';
import { wireJeeves } from '../../src/monolith/jeeves';
import { StartupError } from '../../src/platform/lifecycle';
import { createLogger } from '../../src/platform/logger';
import { createTestDatabase } from '../support/database';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { describeWithRedis } from '../support/redis';

/** How a backend shows that nothing consumes a queue, by the time a later job of another queue has run. */
type NoConsumer = (h: JeevesHarness, queue: string) => Promise<void>;

/** WORKER_QUEUES: a process consumes only the queues it names, so each queue can have a pool of its own. */
function onlyDeliveries(env: () => Record<string, string>, noConsumer: NoConsumer) {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness({ ...env(), WORKER_QUEUES: SLACK_DELIVERIES_QUEUE });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when a process consumes only deliveries, then it posts queued messages and leaves events waiting for another process', async () => {
    const event = h.signedDm('help', { channel: 'D0WQ000001' });
    await request(h.jeeves.app).post('/slack/events').set(event.headers).send(event.body).expect(200);
    const message: OutgoingSlackMessage = { teamId: 'T061EG9R6', channel: 'D0WQ000002', text: 'from the delivery pool', key: `wq:${Date.now()}` };
    await h.infra.queue.add(SLACK_DELIVERIES_QUEUE, 'post', message, { idempotencyKey: message.key });

    await eventually(() => h.slack.messages.map((m) => m.text), (texts) => texts.includes(message.text));
    // The event was accepted and is still waiting: no consumer of slack-events runs here.
    await noConsumer(h, SLACK_EVENTS_QUEUE);
    expect(await h.infra.queue.counts(SLACK_EVENTS_QUEUE)).toMatchObject({ waiting: 1, active: 0 });
    expect(h.slack.messages.map((m) => m.channel)).toEqual(['D0WQ000002']);
  });
}

// In-process, a consumer takes a job in the macrotask after its add: long before a later delivery reaches Slack.
describe('worker queues, in-process queue', () => onlyDeliveries(() => ({}), async () => undefined));

describeWithRedis('worker queues, BullMQ', (redisUrl) =>
  onlyDeliveries(
    () => ({ REDIS_URL: redisUrl }),
    // BullMQ lists the workers connected to a queue: none may be there, whatever the timing.
    async (h, name) => {
      const queue = new Queue(name, { connection: { url: redisUrl }, prefix: h.queuePrefix });
      try {
        expect(await queue.getWorkersCount()).toBe(0);
      } finally {
        await queue.close();
      }
    },
  ),
);

/** WORKER_QUEUES=none: a web process that only serves HTTP, leaving every queue to the worker pools. */
describeWithRedis('worker queues: none, BullMQ', (redisUrl) => {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness({ REDIS_URL: redisUrl, WORKER_QUEUES: 'none' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when a process consumes no queue, then it still accepts Slack events, and no worker of it listens on any queue', async () => {
    const event = h.signedDm('help', { channel: 'D0WQ000003' });
    await request(h.jeeves.app).post('/slack/events').set(event.headers).send(event.body).expect(200);
    for (const name of WORKER_QUEUES) {
      const queue = new Queue(name, { connection: { url: redisUrl }, prefix: h.queuePrefix });
      try {
        expect({ name, workers: await queue.getWorkersCount() }).toEqual({ name, workers: 0 });
      } finally {
        await queue.close();
      }
    }
    expect(await h.infra.queue.counts(SLACK_EVENTS_QUEUE)).toMatchObject({ waiting: 1, active: 0 });
  });
});

describe('worker queues: none, in-process queue', () => {
  it('when a process would consume no queue of its in-process queue, then it refuses to start, naming WORKER_QUEUES and REDIS_URL', async () => {
    const db = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'jeeves-no-queues-'));
    const logger = createLogger({ level: 'silent' });
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, WORKER_QUEUES: 'none', JEEVES_DATA_DIR: dataDir, FLAGS_FILE: join(dataDir, 'flags.json') });
    const infra = await openInfrastructure({ config, logger });
    try {
      const jeeves = await wireJeeves(infra);
      await expect(jeeves.startWorkers()).rejects.toThrow(new StartupError('WORKER_QUEUES=none needs REDIS_URL, so that worker processes consume what this one queues'));
      await jeeves.close();
    } finally {
      await infra.close(1000);
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
