import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import {
  createDevOutbox,
  createSlackDelivery,
  createSlackRateLimiter,
  createSlackWebClient,
  SLACK_DELIVERIES_QUEUE,
  type OutgoingSlackMessage,
} from '../../src/modules/slack';
import { createJobQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteKeys, nothingLeft, silentLogger, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';
import { lineFrom } from '../support/child-output';

/**
 * Issue 4: "a worker killed with SIGKILL mid-delivery, the message delivered exactly once after
 * recovery". A real delivery worker runs in a child process (test/support/delivery-worker-child.ts)
 * and is killed at three points of one delivery; a second worker, in this process, takes the
 * stalled job up once its lock lapses. The second try knows the first one never ended, so it
 * looks for the message in the channel (conversations.history, by the key in the message's
 * metadata) before posting:
 *  - killed before the post left: nothing in the channel, the second try posts it: once;
 *  - killed after Slack answered, before the job was acknowledged: found, not posted again;
 *  - killed while Slack was still handling the post: Slack finishes it, the second try (after
 *    the lock lapsed, as in production where the lock outlasts Slack's answer) finds it: once;
 *  - and when Slack will not show the history (missing scope), the message is posted again
 *    rather than lost: the one case of at-least-once.
 */

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const CHILD = join(ROOT, 'test/support/delivery-worker-child.ts');


describeWithRedis('Slack delivery when its worker is killed with SIGKILL', (redisUrl) => {
  const logger = silentLogger();
  let db: TestDatabase;
  let standIn: SlackApiStandIn;
  let prefix: string;
  let queues: JobQueue[];
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    standIn = await startSlackApiStandIn();
    prefix = uniquePrefix('sigkill');
    queues = [];
    child = undefined;
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(queues.map((q) => q.close(2000)));
    await standIn.close();
    await deleteKeys(redisUrl, prefix);
  });

  /** A delivery worker in this process; its queue recovers a dead worker's job within about a second. */
  const delivery = (start: boolean) => {
    const queue = createJobQueue({ redisUrl, prefix, logger, lockDurationMs: 1000, stalledIntervalMs: 300 });
    queues.push(queue);
    const slack = createSlackDelivery({
      queue,
      client: createSlackWebClient({ apiUrl: standIn.url, timeoutMs: 10_000 }),
      outbox: createDevOutbox(db.dataSource),
      tokens: async () => standIn.token,
      logger,
      concurrency: 1,
      limiter: createSlackRateLimiter({ enabled: false }),
    });
    if (start) slack.start();
    return { queue, slack };
  };

  const spawnChild = (hold: 'before-post' | 'after-post' | 'none') =>
    spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, DATABASE_URL: db.url, SLACK_API_URL: standIn.url, SLACK_BOT_TOKEN: standIn.token, HOLD: hold },
    });

  const message = (label: string): OutgoingSlackMessage => ({ teamId: 'T1', channel: 'CKILL', text: `${label} ${prefix}`, key: `kill:${prefix}` });

  const kill = async (victim: ChildProcess) => {
    victim.kill('SIGKILL');
    await once(victim, 'exit');
  };

  /** Starts the second worker and waits until it has completed the job the first one held. */
  const recover = async (producer: JobQueue) => {
    expect((await producer.counts(SLACK_DELIVERIES_QUEUE)).active).toBe(1);
    delivery(true);
    await waitFor(() => nothingLeft(producer, SLACK_DELIVERIES_QUEUE), 'the stalled delivery to complete', 20_000);
  };

  it('when the worker is killed before its post reached Slack, then the next try finds nothing in the channel and posts it: exactly once', async () => {
    const { queue: producer, slack } = delivery(false);
    const sent = message('before-post');
    await slack.send(sent);
    child = spawnChild('before-post');

    expect(await lineFrom(child, /^posting /, 30_000)).toBe(`posting ${sent.text}`);
    await kill(child);
    expect(standIn.calls()).toBe(0);
    // recover() waited until the queue holds nothing: no try is left that could post again.
    await recover(producer);

    expect(standIn.historyCalls()).toBe(1);
    expect(standIn.messages.map((m) => [m.channel, m.text, m.metadata])).toEqual([
      ['CKILL', sent.text, { event_type: 'jeeves_delivery', event_payload: { key: sent.key } }],
    ]);
    expect((await producer.counts(SLACK_DELIVERIES_QUEUE)).failed).toBe(0);
  });

  it('when the worker is killed after Slack answered, before the job was acknowledged, then the next try finds the message and posts nothing: exactly once', async () => {
    const { queue: producer, slack } = delivery(false);
    const sent = message('after-post');
    await slack.send(sent);
    child = spawnChild('after-post');

    expect(await lineFrom(child, /^posted /, 30_000)).toBe(`posted ${sent.key}`);
    await kill(child);
    expect(standIn.messages).toHaveLength(1);
    await recover(producer);

    expect(standIn.historyCalls()).toBe(1);
    expect(standIn.calls()).toBe(1);
    expect(standIn.messages.map((m) => m.text)).toEqual([sent.text]);
    expect((await producer.counts(SLACK_DELIVERIES_QUEUE)).failed).toBe(0);
  });

  it('when the worker is killed while Slack is still handling its post, then Slack finishes it and the next try finds it: exactly once', async () => {
    const { queue: producer, slack } = delivery(false);
    const sent = message('in-slack');
    // Slack takes 300 ms over the post: the kill lands meanwhile, and the lock (1 s here, 30 s
    // in production) lapses only after Slack has answered, as it does in production.
    standIn.scriptResponses([{ delayMs: 300 }]);
    await slack.send(sent);
    child = spawnChild('none');

    expect(await lineFrom(child, /^posting /, 30_000)).toBe(`posting ${sent.text}`);
    await waitFor(() => standIn.calls() === 1, 'the post to reach the Slack stand-in', 5000);
    await kill(child);
    await recover(producer);

    expect(standIn.historyCalls()).toBe(1);
    expect(standIn.calls()).toBe(1);
    expect(standIn.messages.map((m) => m.text)).toEqual([sent.text]);
  });

  it('when Slack will not show the channel history (missing scope), then the next try posts again: the message is not lost, at worst doubled', async () => {
    const { queue: producer, slack } = delivery(false);
    const sent = message('no-history');
    standIn.scriptHistoryResponses([{ error: 'missing_scope' }]);
    await slack.send(sent);
    child = spawnChild('after-post');

    expect(await lineFrom(child, /^posted /, 30_000)).toBe(`posted ${sent.key}`);
    await kill(child);
    await recover(producer);

    expect(standIn.historyCalls()).toBe(1);
    expect(standIn.messages.map((m) => m.text)).toEqual([sent.text, sent.text]);
    expect((await producer.counts(SLACK_DELIVERIES_QUEUE)).failed).toBe(0);
  });
});
