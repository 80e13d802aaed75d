import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import Redis from 'ioredis';
import { AppError } from '../../src/platform/errors';
import { createJobQueue } from '../../src/platform/queue';
import { createBullmqQueue } from '../../src/platform/queue/bullmq-queue';
import type { JobInfo, JobQueue } from '../../src/platform/queue/queue';
import { closedPort, deferred, deleteKeys, silentLogger, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';
import { lineFrom } from '../support/child-output';

const ROOT = join(__dirname, '..', '..');


describeWithRedis('BullMQ queue', (redisUrl) => {
  const Q = 'jobs';
  let prefix: string;
  let queues: JobQueue[];
  let child: ChildProcess | undefined;
  const open = (extra: { lockDurationMs?: number; stalledIntervalMs?: number } = {}) => {
    const queue = createBullmqQueue({ redisUrl, prefix, logger: silentLogger(), ...extra });
    queues.push(queue);
    return queue;
  };

  beforeEach(() => {
    prefix = uniquePrefix('bull');
    queues = [];
    child = undefined;
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(queues.map((q) => q.close(1000)));
    await deleteKeys(redisUrl, prefix);
  });

  it('when adds of one idempotency key land in the same batch, then one job is kept and both get its id', async () => {
    const producer = open();
    const [first, second, other] = await Promise.all([
      producer.add(Q, 'keyed', { n: 1 }, { idempotencyKey: 'Ev-same-tick' }),
      producer.add(Q, 'keyed', { n: 2 }, { idempotencyKey: 'Ev-same-tick' }),
      producer.add(Q, 'keyed', { n: 3 }, { idempotencyKey: 'Ev-other' }),
    ]);
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    expect((await producer.counts(Q)).waiting).toBe(2);
  });

  it('when a worker process is killed with SIGKILL mid-job, then another worker takes the job up and completes it', async () => {
    const producer = open();
    const id = await producer.add(Q, 'deliver', { text: 'hi' });
    child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/queue-worker-child.ts'), redisUrl, prefix, Q], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(await lineFrom(child, /^started /, 30_000)).toBe(`started ${id}`);

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect((await producer.counts(Q)).active).toBe(1);
    const runs: JobInfo[] = [];
    open({ lockDurationMs: 1000, stalledIntervalMs: 300 }).work(Q, async (job) => {
      runs.push(job);
    });

    await waitFor(async () => (await producer.counts(Q)).completed === 1, 'the stalled job to complete', 15_000);
    expect(runs.map((r) => [r.id, r.data])).toEqual([[id, { text: 'hi' }]]);
    // The dead worker's try never ended: it counts as started, not as made, and left no error.
    expect(runs.map((r) => [r.attemptsMade, r.attemptsStarted, r.lastError])).toEqual([[0, 2, undefined]]);
    expect((await producer.counts(Q)).failed).toBe(0);
  });

  it('when two workers share a queue, then 500 jobs each run exactly once, and both workers take part', async () => {
    const seen = new Map<number, number>();
    const byWorker = [0, 0];
    // Jobs wait until both workers hold one, so a slow-starting worker still takes part.
    const bothWorking = deferred();
    [open(), open()].forEach((queue, worker) =>
      queue.work(
        Q,
        async (job: JobInfo<{ n: number }>) => {
          seen.set(job.data.n, (seen.get(job.data.n) ?? 0) + 1);
          byWorker[worker]!++;
          if (byWorker.every((count) => count > 0)) bothWorking.resolve();
          await bothWorking.promise;
        },
        { concurrency: 8 },
      ),
    );
    const producer = open();

    await Promise.all(Array.from({ length: 500 }, (_, n) => producer.add(Q, 'count', { n })));
    await waitFor(async () => (await producer.counts(Q)).completed === 500, 'all 500 jobs to complete', 30_000);

    expect(seen.size).toBe(500);
    expect([...seen.values()].every((times) => times === 1)).toBe(true);
  });

  it('when Redis cannot be reached, then add rejects with QUEUE.UNAVAILABLE naming the host, never the password', async () => {
    const dead = createBullmqQueue({ redisUrl: `redis://:s3cret@127.0.0.1:${await closedPort()}`, prefix, logger: silentLogger() });
    queues.push(dead);

    const error = await dead.add(Q, 'lost', {}).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'QUEUE.UNAVAILABLE', status: 503 });
    expect((error as Error).message).toMatch(/127\.0\.0\.1/);
    expect((error as Error).message).not.toMatch(/s3cret/);
  });

  it('when createJobQueue is given a redisUrl, then jobs go through BullMQ on that Redis', async () => {
    const queue = createJobQueue({ redisUrl, prefix, logger: silentLogger() });
    queues.push(queue);
    await queue.add(Q, 'durable', {});

    expect(queue.backend).toBe('bullmq');
    expect((await open().counts(Q)).waiting).toBe(1);
  });

  it('when a job is added with a key, then the same key from another process-level queue is a no-op too', async () => {
    const first = await open().add(Q, 'event', { n: 1 }, { idempotencyKey: 'Ev42' });
    const second = await open().add(Q, 'event', { n: 2 }, { idempotencyKey: 'Ev42' });

    expect(second).toBe(first);
    expect((await queues[0]!.counts(Q)).waiting).toBe(1);
  });

  it('when a queue with a worker closes, then none of its connections to Redis stay open', async () => {
    const queue = open();
    const done = deferred();
    queue.work(Q, async () => done.resolve());
    await queue.add(Q, 'one', {});
    await done.promise;
    const admin = new Redis(redisUrl);
    try {
      const ours = async () => String(await admin.call('CLIENT', 'LIST')).split('\n').filter((line) => line.includes(prefix)).length;
      expect(await ours()).toBeGreaterThanOrEqual(2);
      await queue.close(1000);
      await waitFor(async () => (await ours()) === 0, "the closed queue's connections to go");
    } finally {
      admin.disconnect();
    }
  });
});
