import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import request from 'supertest';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createApp } from '../../src/platform/app';
import {
  createDevOutbox,
  createSlackDelivery,
  createSlackEventProcessor,
  createSlackEventsHandler,
  createSlackWebClient,
  signSlackRequest,
  SLACK_DELIVERIES_QUEUE,
  SLACK_EVENTS_PATH,
  SLACK_EVENTS_QUEUE,
  type MessageHandler,
} from '../../src/modules/slack';
import type { IncomingSlackMessage } from '../../src/modules/slack/slack.types';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createBullmqQueue, createMemoryQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteKeys } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';
import { describeWithRedisCluster, uniqueClusterPrefix } from '../support/redis-cluster';

/**
 * POST /slack/events end to end: signed event in → queue → handler → delivery → Web API
 * client → the Slack stand-in. Run on the in-process queue and on BullMQ.
 */

// Jest ignores testTimeout inside a project entry (it is a global option); real servers under load need more than 5 s.
jest.setTimeout(60_000);

const SECRET = 'slack-events-test-secret';
const BOT_USER = 'U0LAN0Z89';
const logger = createLogger({ level: 'silent' });

let sequence = 0;
const nextEventId = () => `Ev${Date.now().toString(36).toUpperCase()}${(sequence += 1)}`;

/** samples/slack-event-app-mention.json with a fresh event_id. */
function appMention(event: Record<string, unknown> = {}, eventId = nextEventId()) {
  return {
    token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
    team_id: 'T061EG9R6',
    api_app_id: 'A0MDYCDME',
    event: {
      type: 'app_mention',
      user: 'U061F7AUR',
      text: `<@${BOT_USER}> weather in Paris`,
      ts: '1515449522.000016',
      client_msg_id: 'c0ffee00-1234-4bcd-9ef0-000000000001',
      team: 'T061EG9R6',
      blocks: [{ type: 'rich_text', block_id: 'Bq3Xk', elements: [] }],
      channel: 'C0LAN2Q65',
      event_ts: '1515449522000016',
      ...event,
    },
    type: 'event_callback',
    event_id: eventId,
    event_time: 1515449522000016,
    authorizations: [{ enterprise_id: null, team_id: 'T061EG9R6', user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** samples/slack-event-message-im.json with a fresh event_id. */
function messageIm(event: Record<string, unknown> = {}, eventId = nextEventId()) {
  return {
    token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
    team_id: 'T061EG9R6',
    api_app_id: 'A0MDYCDME',
    event: {
      type: 'message',
      channel: 'D024BE91L',
      user: 'U2147483697',
      text: 'location set Lyon',
      ts: '1355517523.000005',
      event_ts: '1355517523.000005',
      channel_type: 'im',
      client_msg_id: 'c0ffee00-1234-4bcd-9ef0-000000000002',
      team: 'T061EG9R6',
      ...event,
    },
    type: 'event_callback',
    event_id: eventId,
    event_time: 1355517523,
    authorizations: [{ enterprise_id: null, team_id: 'T061EG9R6', user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
  };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function queued(queue: JobQueue, name: string): Promise<number> {
  const c = await queue.counts(name);
  return c.waiting + c.active + c.delayed + c.completed + c.failed;
}

async function idle(queue: JobQueue): Promise<boolean> {
  for (const name of [SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE]) {
    const c = await queue.counts(name);
    if (c.waiting + c.active + c.delayed > 0) return false;
  }
  return true;
}

/** A queue whose adds fail, as when Redis is down. */
function withFailingAdds(queue: JobQueue): JobQueue {
  return {
    backend: queue.backend,
    add: async () => Promise.reject(new Error('Redis is down')),
    remove: (q, id) => queue.remove(q, id),
    upsertSchedule: (q, id, spec, job) => queue.upsertSchedule(q, id, spec, job),
    removeSchedule: (q, id) => queue.removeSchedule(q, id),
    work: (q, handler, options) => queue.work(q, handler, options),
    counts: (q) => queue.counts(q),
    activity: (q) => queue.activity(q),
    failed: (q, limit) => queue.failed(q, limit),
    ping: () => queue.ping(),
    close: (graceMs) => queue.close(graceMs),
  };
}

interface Harness {
  server: Server;
  queue: JobQueue;
  standIn: SlackApiStandIn;
  handled: IncomingSlackMessage[];
  post(body: unknown, headers?: Record<string, string>): request.Test;
  close(): Promise<void>;
}

async function startHarness(db: TestDatabase, queue: JobQueue, handler?: MessageHandler): Promise<Harness> {
  const standIn = await startSlackApiStandIn();
  const handled: IncomingSlackMessage[] = [];
  const recording: MessageHandler = async (message) => {
    handled.push(message);
    return handler ? handler(message) : `you said: ${message.text}`;
  };
  const delivery = createSlackDelivery({
    queue,
    client: createSlackWebClient({ apiUrl: standIn.url, timeoutMs: 2000 }),
    outbox: createDevOutbox(db.dataSource),
    tokens: async () => standIn.token,
    logger,
    backoffMs: 20,
  });
  delivery.start();
  createSlackEventProcessor({ queue, handler: recording, delivery, logger }).start();
  const app = createApp({
    logger,
    metrics: createMetrics({ defaults: false }),
    readiness: {},
    // As the monolith mounts it: on the fast path ahead of Express's router.
    endpoints: [{ method: 'POST', path: SLACK_EVENTS_PATH, handler: createSlackEventsHandler({ signingSecret: SECRET, queue, logger }) }],
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    server,
    queue,
    standIn,
    handled,
    post(body, headers = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      return request(server)
        .post('/slack/events')
        .set('content-type', 'application/json')
        .set({ ...signSlackRequest(SECRET, raw), ...headers })
        .send(raw);
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await queue.close(2000);
      await standIn.close();
    },
  };
}

function ingressSuite(makeQueue: () => JobQueue, cleanup: () => Promise<void> = async () => undefined): void {
  let db: TestDatabase;
  let h: Harness;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  afterEach(async () => {
    await h.close();
    await cleanup();
  });

  describe('ingress', () => {
    beforeEach(async () => {
      h = await startHarness(db, makeQueue());
    });

    it('when a signed app_mention arrives, then the reply reaches Slack in the channel with the mention stripped', async () => {
      await h.post(appMention()).expect(200);
      await until(() => h.standIn.messages.length === 1, 'the reply');
      expect(h.handled).toEqual([expect.objectContaining({ text: 'weather in Paris', channelId: 'C0LAN2Q65', userId: 'U061F7AUR', source: 'event' })]);
      expect(h.standIn.messages[0]).toEqual({
        channel: 'C0LAN2Q65',
        text: 'you said: weather in Paris',
        ts: expect.any(String),
        token: h.standIn.token,
        // Keyed by the event: a later try of the delivery can find it in the channel.
        metadata: { event_type: 'jeeves_delivery', event_payload: { key: expect.stringMatching(/^reply:Ev/) } },
      });
    });

    it('when the mention was in a thread, then the reply goes to that thread', async () => {
      await h.post(appMention({ thread_ts: '1515449000.000001' })).expect(200);
      await until(() => h.standIn.messages.length === 1, 'the reply');
      expect(h.standIn.messages[0]).toMatchObject({ channel: 'C0LAN2Q65', thread_ts: '1515449000.000001' });
    });

    it('when a DM arrives, then the reply goes to the DM', async () => {
      await h.post(messageIm()).expect(200);
      await until(() => h.standIn.messages.length === 1, 'the reply');
      expect(h.standIn.messages[0]).toMatchObject({ channel: 'D024BE91L', text: 'you said: location set Lyon' });
    });

    it('when the DM text is empty, then the handler still gets it and its reply is delivered', async () => {
      await h.post(messageIm({ text: '' })).expect(200);
      await until(() => h.standIn.messages.length === 1, 'the reply');
      expect(h.handled.map((m) => m.text)).toEqual(['']);
    });

    it('when Slack retries an event (same event_id, X-Slack-Retry-Num), then both are acknowledged and it is processed once', async () => {
      const event = messageIm();
      await h.post(event).expect(200);
      await h.post(event, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }).expect(200);
      await until(() => h.standIn.messages.length >= 1, 'the reply');
      await h.post(event, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' }).expect(200);
      await until(() => idle(h.queue), 'the queues to drain');
      expect(h.handled).toHaveLength(1);
      expect(h.standIn.messages).toHaveLength(1);
    });

    it.each([
      ['a bot message', messageIm({ bot_id: 'B0LAN0Z89', subtype: 'bot_message' })],
      ['an edited message', messageIm({ subtype: 'message_changed' })],
      ['its own message', messageIm({ user: BOT_USER })],
      ['a message in a channel (not a DM)', messageIm({ channel: 'C0LAN2Q65', channel_type: 'channel' })],
      ['app_uninstalled', { team_id: 'T061EG9R6', api_app_id: 'A0MDYCDME', event: { type: 'app_uninstalled' }, type: 'event_callback', event_id: 'Ev0MDYGDKJ', event_time: 1515449522 }],
    ])('when the event is %s, then 200 and nothing is queued', async (_what, event) => {
      await h.post(event).expect(200);
      expect(await queued(h.queue, SLACK_EVENTS_QUEUE)).toBe(0);
      expect(h.handled).toEqual([]);
    });

    it('when 300 events arrive at once, then each is answered exactly once', async () => {
      const { port } = h.server.address() as AddressInfo;
      const events = Array.from({ length: 300 }, (_, i) => messageIm({ text: `burst ${i}`, channel: `D${String(i).padStart(8, '0')}` }));
      const statuses: number[] = [];
      const send = async (event: unknown) => {
        const raw = JSON.stringify(event);
        const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, raw) }, body: raw });
        statuses.push(res.status);
        await res.arrayBuffer();
      };
      for (let i = 0; i < events.length; i += 50) await Promise.all(events.slice(i, i + 50).map(send));
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      await until(() => h.standIn.messages.length >= 300, '300 replies', 30_000);
      await until(() => idle(h.queue), 'the queues to drain');
      const channels = h.standIn.messages.map((m) => m.channel).sort();
      expect(channels).toEqual(events.map((e) => e.event.channel).sort());
      expect(h.handled).toHaveLength(300);
    }, 60_000);
  });

  describe('refusals', () => {
    beforeEach(async () => {
      h = await startHarness(db, makeQueue());
    });

    const raw = () => JSON.stringify(messageIm());
    const now = () => Math.floor(Date.now() / 1000);

    it('when the signature headers are missing, then 401 SLACK.BAD_SIGNATURE and nothing is queued', async () => {
      const res = await request(h.server).post('/slack/events').set('content-type', 'application/json').send(raw()).expect(401);
      expect(res.body.error.code).toBe('SLACK.BAD_SIGNATURE');
      expect(await queued(h.queue, SLACK_EVENTS_QUEUE)).toBe(0);
    });

    it('when the signature was made with another secret, then 401 and nothing is queued', async () => {
      const body = raw();
      const res = await h.post(body, signSlackRequest('not-the-secret', body)).expect(401);
      expect(res.body.error.code).toBe('SLACK.BAD_SIGNATURE');
      expect(await queued(h.queue, SLACK_EVENTS_QUEUE)).toBe(0);
    });

    it('when the signature is stale (6 minutes old), then 401 SLACK.STALE_REQUEST and nothing is queued', async () => {
      const body = raw();
      const res = await h.post(body, signSlackRequest(SECRET, body, now() - 6 * 60)).expect(401);
      expect(res.body.error.code).toBe('SLACK.STALE_REQUEST');
      expect(await queued(h.queue, SLACK_EVENTS_QUEUE)).toBe(0);
    });

    it('when the body was altered after signing, then 401 and nothing is queued', async () => {
      const body = raw();
      const altered = body.replace('location set Lyon', 'location set Paris');
      const res = await request(h.server).post('/slack/events').set('content-type', 'application/json').set(signSlackRequest(SECRET, body)).send(altered).expect(401);
      expect(res.body.error.code).toBe('SLACK.BAD_SIGNATURE');
      expect(await queued(h.queue, SLACK_EVENTS_QUEUE)).toBe(0);
    });

    it('when the correctly signed body is not JSON, then 400 HTTP.MALFORMED_JSON', async () => {
      const res = await h.post('{"type": "event_callback",').expect(400);
      expect(res.body.error.code).toBe('HTTP.MALFORMED_JSON');
    });

    it('when the body is over 1 MB, then 413 and nothing is queued', async () => {
      const body = JSON.stringify(messageIm({ text: 'x'.repeat(1024 * 1024) }));
      const res = await h.post(body).expect(413);
      expect(res.body.error.code).toBe('HTTP.PAYLOAD_TOO_LARGE');
      expect(await queued(h.queue, SLACK_EVENTS_QUEUE)).toBe(0);
    });

    it('when an over-limit body comes without Content-Length (chunked), then 413 all the same', async () => {
      const body = JSON.stringify(messageIm({ text: 'x'.repeat(1024 * 1024) }));
      const { port } = h.server.address() as AddressInfo;
      const status = await new Promise<number>((resolve, reject) => {
        // No Content-Length: the limit must hold while the body streams in.
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, body) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
        req.end();
      });
      expect(status).toBe(413);
      expect(await queued(h.queue, SLACK_EVENTS_QUEUE)).toBe(0);
    });

    it('when the body is compressed, then 415 (Slack never compresses; the signature covers the bytes sent)', async () => {
      const res = await h.post(messageIm(), { 'content-encoding': 'gzip' }).expect(415);
      expect(res.body.error.code).toBe('HTTP.UNSUPPORTED_ENCODING');
    });

    it('when Slack verifies the URL, then the challenge is echoed', async () => {
      const challenge = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';
      const res = await h.post({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge, type: 'url_verification' }).expect(200);
      expect(res.body).toEqual({ challenge });
    });
  });

  describe('when the queue cannot take the event', () => {
    beforeEach(async () => {
      h = await startHarness(db, withFailingAdds(makeQueue()));
    });

    it('then 503, so that Slack retries it', async () => {
      const res = await h.post(messageIm()).expect(503);
      expect(res.body.error.code).toBe('SLACK.ENQUEUE_FAILED');
    });
  });
}

describe('POST /slack/events on the in-process queue', () => {
  ingressSuite(() => createMemoryQueue({ logger }));
});

describeWithRedis('POST /slack/events on BullMQ', (redisUrl) => {
  let prefix = '';
  ingressSuite(
    () => {
      prefix = uniquePrefix('slack-events');
      return createBullmqQueue({ redisUrl, prefix, logger, lockDurationMs: 5000, stalledIntervalMs: 5000 });
    },
    async () => {
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  );
});

// De-duplication by event_id on a cluster: the job and its key are written by one script, in one slot.
describeWithRedisCluster('POST /slack/events on BullMQ on a Redis Cluster', (clusterUrl) => {
  let prefix = '';
  ingressSuite(
    () => {
      prefix = uniqueClusterPrefix('slack-events');
      return createBullmqQueue({ redisUrl: clusterUrl, prefix, logger, lockDurationMs: 5000, stalledIntervalMs: 5000 });
    },
    () => deleteKeys(clusterUrl, prefix),
  );
});
