import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import {
  createDevOutbox,
  createSlackDelivery,
  createSlackWebClient,
  SLACK_DELIVERIES_QUEUE,
} from '../../src/modules/slack';
import { createJobQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { nothingLeft, silentLogger, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';
import { lineFrom, spawnJeevesProcess } from '../support/child-output';

/**
 * Issue 4: "SIGTERM lets in-flight jobs finish (a bounded grace period) before exit", on the
 * real `src/processes/worker.ts` in a process of its own, on a QUEUE_PREFIX of its own, removed afterwards.
 */

jest.setTimeout(90_000);



async function removeKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

describeWithRedis('npm run worker on SIGTERM', (testRedisUrl) => {
  const logger = silentLogger();
  const redisUrl = testRedisUrl;
  const prefix = uniquePrefix('sigterm');
  let db: TestDatabase;
  let standIn: SlackApiStandIn;
  let dataDir: string;
  let producer: JobQueue | undefined;
  let worker: ChildProcess | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
    standIn = await startSlackApiStandIn();
    dataDir = mkdtempSync(join(tmpdir(), 'jeeves-worker-sigterm-'));
  });
  afterEach(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await producer?.close(1000);
    await standIn.close();
    await db.drop();
    await removeKeys(redisUrl, prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The real `npm run worker`, configured as a deployment would configure it. */
  const startWorker = async (extraEnv: Record<string, string> = {}) => {
    const child = spawnJeevesProcess('worker', dataDir, {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      SLACK_API_URL: standIn.url,
      SLACK_BOT_TOKEN: standIn.token,
      SLACK_RATE_LIMIT: 'off',
      ...extraEnv,
    });
    worker = child;
    const started = JSON.parse(await lineFrom(child, /"msg":"Jeeves worker started"/, 45_000)) as { port: number };
    probesPort = started.port;
    return child;
  };
  let probesPort = 0;
  const probe = (path: string) => fetch(`http://127.0.0.1:${probesPort}${path}`);

  /** A delivery face on the worker's queue, as a web process of the same deployment would enqueue (and, started, a second worker). */
  const deliveryOn = (queue: JobQueue) =>
    createSlackDelivery({
      queue,
      client: createSlackWebClient({ apiUrl: standIn.url }),
      outbox: createDevOutbox(db.dataSource),
      tokens: async () => standIn.token,
      logger,
    });

  const exitWithin = async (child: ChildProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let timer: NodeJS.Timeout | undefined;
    const [code, signal] = await Promise.race([
      exited,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the worker did not exit within ${ms} ms of SIGTERM`)), ms))),
    ]).finally(() => clearTimeout(timer));
    return { code, signal };
  };

  it('serves /healthz, /readyz (database and queue) and /metrics with its queue counters on PORT, and /readyz fails from SIGTERM on while it finishes a job', async () => {
    const child = await startWorker();
    producer = createJobQueue({ redisUrl, prefix, logger });
    const health = await probe('/healthz');
    expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await probe('/readyz');
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ready', checks: ['database', 'queue'] } });
    await deliveryOn(producer).send({ teamId: 'T1', channel: 'CPROBE', text: 'count me', key: 'probes:1' });
    await waitFor(() => standIn.messages.length === 1, 'the delivery to reach the Slack stand-in', 15_000);
    await waitFor(async () => /jeeves_queue_jobs_processed_total\{[^}]*queue="slack-deliveries"[^}]*\} 1/.test(await (await probe('/metrics')).text()), 'the processed job to be counted in /metrics', 5000);
    // Only probes and metrics: a worker serves none of the web process's routes.
    expect((await probe('/slack/events')).status).toBe(404);

    standIn.scriptResponses([{ delayMs: 1500 }]);
    await deliveryOn(producer).send({ teamId: 'T1', channel: 'CPROBE', text: 'hold me', key: 'probes:2' });
    await waitFor(() => standIn.calls() === 2, 'the second post to reach the Slack stand-in', 15_000);
    child.kill('SIGTERM');
    await waitFor(async () => (await probe('/readyz')).status === 503, '/readyz to fail', 5000);
    expect((await probe('/healthz')).status).toBe(200);
    expect(await exitWithin(child, 20_000)).toEqual({ code: 0, signal: null });
    expect(standIn.messages.map((m) => m.text)).toEqual(['count me', 'hold me']);
  });

  it('when SIGTERM arrives while a delivery is in flight, then the worker finishes it, posts it once, and exits 0 after it', async () => {
    const child = await startWorker();
    let postedAtExit = -1;
    child.once('exit', () => (postedAtExit = standIn.messages.length));
    producer = createJobQueue({ redisUrl, prefix, logger });
    standIn.scriptResponses([{ delayMs: 1500 }]);
    const message = { teamId: 'T1', channel: 'CTERM', text: 'finish me before you go', key: 'sigterm:1' };
    await deliveryOn(producer).send(message);
    await waitFor(() => standIn.calls() === 1, 'the post to reach the Slack stand-in', 15_000);
    expect(standIn.messages).toHaveLength(0);

    const termAt = Date.now();
    child.kill('SIGTERM');
    const { code, signal } = await exitWithin(child, 20_000);

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The held post was answered before the process ended, not abandoned to another worker.
    expect(postedAtExit).toBe(1);
    expect(Date.now() - termAt).toBeGreaterThanOrEqual(1000);
    expect(standIn.calls()).toBe(1);
    expect(standIn.messages.map((m) => [m.channel, m.text])).toEqual([['CTERM', message.text]]);
    // Acknowledged too: nothing left for another worker to run again.
    expect(await nothingLeft(producer, SLACK_DELIVERIES_QUEUE)).toBe(true);
  });

  it('when a delivery outlasts SHUTDOWN_GRACE_MS, then the worker exits 0 after the grace period, and the next worker finishes the job without posting twice', async () => {
    const child = await startWorker({ SHUTDOWN_GRACE_MS: '1000' });
    producer = createJobQueue({ redisUrl, prefix, logger });
    // Slack takes the post at once but answers only after 8 s: longer than the grace period.
    standIn.scriptResponses([{ answerAfterMs: 8000 }]);
    const message = { teamId: 'T1', channel: 'CGRACE', text: 'too slow to wait for', key: 'sigterm:grace' };
    await deliveryOn(producer).send(message);
    await waitFor(() => standIn.calls() === 1, 'the post to reach the Slack stand-in', 15_000);

    const termAt = Date.now();
    child.kill('SIGTERM');
    expect(await exitWithin(child, 20_000)).toEqual({ code: 0, signal: null });
    const stoppedAfter = Date.now() - termAt;
    expect(stoppedAfter).toBeGreaterThanOrEqual(1000);
    // It did not wait for Slack's answer (8 s), nor for the client's own timeout (5 s).
    expect(stoppedAfter).toBeLessThan(5000);
    // Left in flight, not failed or lost: a stalled job for the next worker.
    expect(await producer.counts(SLACK_DELIVERIES_QUEUE)).toMatchObject({ active: 1, completed: 0, failed: 0 });

    // The abandoned job's lock lapses after 30 s, and stalled jobs are looked for every 30 s:
    // the test lets both go now instead of waiting.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const [jobId] = await redis.lrange(`${prefix}:${SLACK_DELIVERIES_QUEUE}:active`, 0, -1);
      expect(await redis.del(`${prefix}:${SLACK_DELIVERIES_QUEUE}:${jobId}:lock`)).toBe(1);
      await redis.del(`${prefix}:${SLACK_DELIVERIES_QUEUE}:stalled-check`);
    } finally {
      redis.disconnect();
    }
    const next = createJobQueue({ redisUrl, prefix, logger, stalledIntervalMs: 300 });
    try {
      deliveryOn(next).start();
      await waitFor(() => nothingLeft(producer!, SLACK_DELIVERIES_QUEUE), 'the next worker to finish the job', 20_000);
    } finally {
      await next.close(1000);
    }
    // The next try looked in the channel, found the message, and posted nothing.
    expect(standIn.historyCalls()).toBe(1);
    expect(standIn.calls()).toBe(1);
    expect(standIn.messages.map((m) => [m.channel, m.text])).toEqual([['CGRACE', message.text]]);
  });
});
