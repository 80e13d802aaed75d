import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runSlackCli } from '../../scripts/slack';
import { createApp } from '../../src/platform/app';
import {
  createDevOutbox,
  createDevOutboxRouter,
  createSlackDelivery,
  createSlackEventProcessor,
  createSlackWebClient,
  type DevOutbox,
  type SlackDelivery,
} from '../../src/modules/slack';
import { createSlackEventsRouter } from '../../src/modules/slack/slack.events.routes';
import type { IncomingSlackMessage } from '../../src/modules/slack/slack.types';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createMemoryQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * `npm run slack` against a Jeeves running in this process with no bot token: the signed
 * event goes in, the reply comes back through the dev outbox (GET /dev/outbox).
 */

// Jest ignores testTimeout inside a project entry (it is a global option); real servers under load need more than 5 s.
jest.setTimeout(60_000);

const SECRET = 'slack-cli-test-secret';
const logger = createLogger({ level: 'silent' });

describe('npm run slack and the dev outbox', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  let server: Server;
  let base: string;
  let outbox: DevOutbox;
  let delivery: SlackDelivery;
  let handled: IncomingSlackMessage[];
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    outbox = createDevOutbox(db.dataSource);
    queue = createMemoryQueue({ logger });
    handled = [];
    delivery = createSlackDelivery({
      queue,
      // Never called: there is no bot token, so replies go to the outbox.
      client: createSlackWebClient({ apiUrl: 'http://127.0.0.1:9/api/' }),
      outbox,
      tokens: async () => undefined,
      logger,
    });
    delivery.start();
    const handler = async (message: IncomingSlackMessage) => {
      handled.push(message);
      return message.text === 'stay quiet' ? null : `Jeeves heard: ${message.text}`;
    };
    createSlackEventProcessor({ queue, handler, delivery, logger }).start();
    const app = createApp({
      logger,
      metrics: createMetrics({ defaults: false }),
      readiness: {},
      rawBodyRoutes: [{ path: '/slack', router: createSlackEventsRouter({ signingSecret: SECRET, queue, logger }) }],
      routes: [{ path: '/dev', router: createDevOutboxRouter({ outbox }) }],
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'jeeves-slack-cli-'));
    writeFileSync(join(dataDir, 'dev-signing-secret'), `${SECRET}\n`);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await queue.close(2000);
    await db.drop();
  });

  async function cli(argv: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runSlackCli({ argv, env: { JEEVES_URL: base, JEEVES_DATA_DIR: dataDir, ...env }, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }

  describe('GET /dev/outbox', () => {
    it('lists a channel oldest first, and only what is newer than `after`', async () => {
      for (const text of ['one', 'two', 'three']) await delivery.send({ teamId: 'T1', channel: 'DLIST', text, key: `list:${text}` });
      const deadline = Date.now() + 10_000;
      while ((await outbox.list({ channel: 'DLIST' })).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const all = (await request(server).get('/dev/outbox').query({ channel: 'DLIST' }).expect(200)).body.messages;
      expect(all.map((m: { text: string }) => m.text).sort()).toEqual(['one', 'three', 'two']);
      const newer = (await request(server).get('/dev/outbox').query({ channel: 'DLIST', after: all[0].id }).expect(200)).body.messages;
      expect(newer.map((m: { id: string }) => m.id)).toEqual([all[1].id, all[2].id]);
      const latest = (await request(server).get('/dev/outbox').query({ channel: 'DLIST', limit: 1 }).expect(200)).body.messages;
      expect(latest.map((m: { id: string }) => m.id)).toEqual([all[2].id]);
    });

    it('when `after` is not a message id, then 400', async () => {
      await request(server).get('/dev/outbox').query({ after: 'x; drop table' }).expect(400);
    });
  });

  it('when Jeeves is running, then the reply to the message is printed', async () => {
    const { code, out, err } = await cli(['help', 'me'], {});
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out).toEqual(['Jeeves heard: help me']);
    expect(handled.at(-1)).toMatchObject({ text: 'help me', channelId: 'D2147483697', userId: 'U2147483697', source: 'event' });
  });

  it('when --team and --user are given, then the event comes from them, in their own DM', async () => {
    const { code, out } = await cli(['hello', '--team', 'TOTHER', '--user', 'UOTHER']);
    expect(code).toBe(0);
    expect(out).toEqual(['Jeeves heard: hello']);
    expect(handled.at(-1)).toMatchObject({ teamId: 'TOTHER', userId: 'UOTHER', channelId: 'DOTHER' });
  });

  it('when --wait is given, then every message arriving in the DM until then is printed', async () => {
    // The later message comes once the reply is in: the CLI must keep reading after its reply.
    const later = (async () => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !(await outbox.list({ channel: 'DWAITER' })).some((m) => m.text === 'Jeeves heard: anything')) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await delivery.send({ teamId: 'T061EG9R6', channel: 'DWAITER', text: 'a reminder', key: `reminder:${Date.now()}` });
    })();
    const { code, out } = await cli(['anything', '--user', 'UWAITER', '--wait', '3']);
    await later;
    expect(code).toBe(0);
    expect(out).toEqual(['Jeeves heard: anything', 'a reminder']);
  });

  it('when no reply comes in time, then a one-line error and exit code 1', async () => {
    const { code, err } = await cli(['stay quiet', '--wait', '0.5']);
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^error: no reply from Jeeves within 0.5 s/)]);
  });

  it('when the secret is not the one Jeeves uses, then it says the signature was rejected and exits 1', async () => {
    const { code, err } = await cli(['help'], { SLACK_SIGNING_SECRET: 'some-other-secret' });
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^error: Jeeves rejected the signature \(401\)/)]);
  });

  it('when Jeeves is not running, then it says how to start it and exits 1', async () => {
    const { code, err } = await cli(['help'], { JEEVES_URL: 'http://127.0.0.1:9' });
    expect(code).toBe(1);
    expect(err).toEqual(['error: Jeeves is not answering at http://127.0.0.1:9 — start it with `npm start`']);
  });

  it('when there is no signing secret at all, then it says where it looked and exits 1', async () => {
    const { code, err } = await cli(['help'], { JEEVES_DATA_DIR: join(dataDir, 'missing') });
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringContaining(`${join(dataDir, 'missing', 'dev-signing-secret')} does not exist`)]);
  });
});
