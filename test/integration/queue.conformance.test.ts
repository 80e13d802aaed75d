import { currentContext } from '../../src/platform/context';
import { createBullmqQueue } from '../../src/platform/queue/bullmq-queue';
import { createMemoryQueue } from '../../src/platform/queue/memory-queue';
import { PermanentJobError, RetryAfterError, type JobInfo, type JobQueue } from '../../src/platform/queue/queue';
import { closedPort, deferred, deleteKeys, silentLogger, sleep, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';
import { describeWithRedisCluster, uniqueClusterPrefix } from '../support/redis-cluster';

/**
 * One suite, two backends: whatever a caller may rely on holds for the in-process queue and
 * for BullMQ alike. Timers may fire a millisecond early, hence the small tolerance.
 */
const EARLY_MS = 2;

interface Harness {
  queue: JobQueue;
  /** The same backend with nothing behind it: a port nobody listens on, or a closed queue. */
  unreachable(): Promise<JobQueue>;
  teardown(): Promise<void>;
}

function memoryHarness(): Harness {
  const queue = createMemoryQueue({ logger: silentLogger() });
  return {
    queue,
    async unreachable() {
      const closed = createMemoryQueue({ logger: silentLogger() });
      await closed.close();
      return closed;
    },
    teardown: () => queue.close(1000),
  };
}

function bullmqHarness(redisUrl: string, prefix = uniquePrefix('conf')): Harness {
  const queue = createBullmqQueue({ redisUrl, prefix, logger: silentLogger() });
  const others: JobQueue[] = [];
  return {
    queue,
    async unreachable() {
      const scheme = redisUrl.startsWith('redis+cluster:') ? 'redis+cluster' : 'redis';
      const dead = createBullmqQueue({ redisUrl: `${scheme}://127.0.0.1:${await closedPort()}`, prefix, logger: silentLogger() });
      others.push(dead);
      return dead;
    },
    async teardown() {
      await Promise.all([queue, ...others].map((q) => q.close(1000)));
      await deleteKeys(redisUrl, prefix);
    },
  };
}

interface Run {
  job: JobInfo;
  at: number;
}

function conformanceCases(makeHarness: () => Harness): void {
  const Q = 'jobs';
  let h: Harness;
  let queue: JobQueue;
  let runs: Run[];
  const record = (job: JobInfo): void => {
    runs.push({ job, at: Date.now() });
  };
  const runsOf = (name: string) => runs.filter((r) => r.job.name === name);

  beforeEach(() => {
    h = makeHarness();
    queue = h.queue;
    runs = [];
  });
  afterEach(() => h.teardown());

  it('when a job is added, then a worker runs it once with its data, as JSON', async () => {
    const id = await queue.add(Q, 'greet', { text: 'hello', when: new Date('2025-01-01T07:30:00Z') });
    queue.work(Q, async (job) => record(job));

    await waitFor(async () => (await queue.counts(Q)).completed === 1, 'the job to complete');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.job).toEqual({ id, queue: Q, name: 'greet', data: { text: 'hello', when: '2025-01-01T07:30:00.000Z' }, attemptsMade: 0, attemptsStarted: 1, attempts: 5 });
  });

  it('when a handler throws twice, then the job is retried with growing gaps and completes', async () => {
    await queue.add(Q, 'flaky', {}, { attempts: 3, backoffMs: 40 });
    queue.work(Q, async (job) => {
      record(job);
      if (job.attemptsMade < 2) throw new Error(`try ${job.attemptsMade} failed`);
    });

    await waitFor(async () => (await queue.counts(Q)).completed === 1, 'the third try to complete');
    expect(runs.map((r) => r.job.attemptsMade)).toEqual([0, 1, 2]);
    // Each try knows how many started before it and why the last one failed.
    expect(runs.map((r) => [r.job.attemptsStarted, r.job.lastError])).toEqual([
      [1, undefined],
      [2, 'try 0 failed'],
      [3, 'try 1 failed'],
    ]);
    // Jittered exponential backoff: the n-th gap is at least half of 40 * 2^(n-1).
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(20 - EARLY_MS);
    expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(40 - EARLY_MS);
    expect((await queue.counts(Q)).failed).toBe(0);
  });

  it('when a handler throws PermanentJobError, then the job fails at once, with its reason, untried again', async () => {
    const id = await queue.add(Q, 'post', { channel: 'C404' }, { attempts: 5, backoffMs: 10 });
    queue.work(Q, async (job) => {
      record(job);
      throw new PermanentJobError('channel_not_found');
    });

    await waitFor(async () => (await queue.failed(Q)).length === 1, 'the job in failed()');
    const [failed] = await queue.failed(Q);
    expect(failed).toMatchObject({ id, name: 'post', data: { channel: 'C404' }, reason: 'channel_not_found', attemptsMade: 1 });
    expect(failed!.failedAt).toBeInstanceOf(Date);
    expect(runs).toHaveLength(1);
  });

  it('when a handler throws RetryAfterError, then the retry waits at least retryAfterMs', async () => {
    await queue.add(Q, 'throttled', {}, { attempts: 3, backoffMs: 10 });
    queue.work(Q, async (job) => {
      record(job);
      if (job.attemptsMade === 0) throw new RetryAfterError('429', 300);
    });

    await waitFor(() => runs.length === 2, 'the retry');
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(300 - EARLY_MS);
  });

  it('when a job is delayed, then it does not run before its delay', async () => {
    queue.work(Q, async (job) => record(job));
    const addedAt = Date.now();
    await queue.add(Q, 'later', {}, { delayMs: 300 });

    await waitFor(() => runs.length === 1, 'the delayed job to run');
    expect(runs[0]!.at - addedAt).toBeGreaterThanOrEqual(300 - EARLY_MS);
  });

  it('when a queue is worked in context (the default), then each try runs in one named after the job; worked with inContext false, it opens none', async () => {
    const seen: Array<[string, string | undefined]> = [];
    queue.work(Q, async (job) => void seen.push([job.queue, currentContext()?.requestId]));
    queue.work(`${Q}-bare`, async (job) => void seen.push([job.queue, currentContext()?.requestId]), { inContext: false });
    const id = await queue.add(Q, 'named', {});
    await queue.add(`${Q}-bare`, 'bare', {});

    await waitFor(() => seen.length === 2, 'both jobs to run');
    expect(seen).toEqual(expect.arrayContaining([[Q, `job:${Q}:${id}`], [`${Q}-bare`, undefined]]));
  });

  it('when the same idempotency key is added again, before or after the job ran, then it runs once and every add returns its id', async () => {
    queue.work(Q, async (job) => record(job));
    const first = await queue.add(Q, 'keyed', { n: 1 }, { idempotencyKey: 'Ev123' });
    const second = await queue.add(Q, 'keyed', { n: 2 }, { idempotencyKey: 'Ev123' });
    await waitFor(() => runsOf('keyed').length === 1, 'the keyed job to run');
    const third = await queue.add(Q, 'keyed', { n: 3 }, { idempotencyKey: 'Ev123' });
    // One worker takes jobs in order: once this later job ran, a duplicate would have too.
    await queue.add(Q, 'sentinel', {});

    await waitFor(() => runsOf('sentinel').length === 1, 'the sentinel job');
    expect([second, third]).toEqual([first, first]);
    expect(runsOf('keyed').map((r) => r.job.data)).toEqual([{ n: 1 }]);
  });

  it('when a job forgotten once completed has run, then counts() leaves it out but its idempotency key still holds; a failed one is kept', async () => {
    queue.work(Q, async (job) => {
      record(job);
      if (job.name === 'doomed') throw new PermanentJobError('no');
    });
    const first = await queue.add(Q, 'keyed', { n: 1 }, { idempotencyKey: 'Fw1', forgetWhenCompleted: true });
    await queue.add(Q, 'kept', {});
    await queue.add(Q, 'doomed', {}, { forgetWhenCompleted: true });
    await waitFor(() => runs.length === 3, 'the three jobs to run');
    await waitFor(async () => (await queue.counts(Q)).active === 0, 'the jobs to settle');

    const again = await queue.add(Q, 'keyed', { n: 2 }, { idempotencyKey: 'Fw1', forgetWhenCompleted: true });
    await queue.add(Q, 'sentinel', {});
    await waitFor(() => runsOf('sentinel').length === 1, 'the sentinel job');
    expect(again).toBe(first);
    expect(runsOf('keyed')).toHaveLength(1);
    expect(await queue.counts(Q)).toEqual(expect.objectContaining({ completed: 2, failed: 1 }));
  });

  it('when every attempt fails, then the job ends in failed() with the last reason', async () => {
    const id = await queue.add(Q, 'doomed', { n: 7 }, { attempts: 3, backoffMs: 5 });
    queue.work(Q, async (job) => {
      record(job);
      throw new Error(`boom ${job.attemptsMade}`);
    });

    await waitFor(async () => (await queue.failed(Q)).length === 1, 'the job in failed()');
    expect(await queue.failed(Q)).toEqual([expect.objectContaining({ id, reason: 'boom 2', attemptsMade: 3, data: { n: 7 } })]);
    expect(runs).toHaveLength(3);
  });

  it('when a waiting or delayed job is removed, then it never runs and its key is free again', async () => {
    const removed = await queue.add(Q, 'cancelled', {}, { delayMs: 200, idempotencyKey: 'rem-1' });
    await queue.remove(Q, removed);
    const again = await queue.add(Q, 'replacement', {}, { idempotencyKey: 'rem-1' });
    queue.work(Q, async (job) => record(job));
    await queue.add(Q, 'sentinel', {}, { delayMs: 300 });

    await waitFor(() => runsOf('sentinel').length === 1, 'the sentinel job');
    expect(again).not.toBe(removed);
    expect(runs.map((r) => r.job.name)).toEqual(['replacement', 'sentinel']);
    await queue.remove(Q, again); // has run: a no-op, not an error
  });

  it('when an everyMs schedule exists, then it ticks repeatedly, and removeSchedule stops it', async () => {
    queue.work(Q, async (job) => record(job));
    await queue.upsertSchedule(Q, 'heartbeat', { everyMs: 100 }, { name: 'tick', data: { beat: true } });

    await waitFor(() => runs.length >= 3, 'three ticks');
    await queue.removeSchedule(Q, 'heartbeat');
    const afterRemoval = runsOf('tick').length;
    // Due after three more ticks would have been: one at a time, in order of due time, it runs after them.
    await queue.add(Q, 'sentinel', {}, { delayMs: 350 });
    await waitFor(() => runsOf('sentinel').length === 1, 'the sentinel job');
    expect(runsOf('tick').length).toBeLessThanOrEqual(afterRemoval + 1);
    expect(runs[0]!.job).toMatchObject({ name: 'tick', data: { beat: true } });
  });

  it('when a cron schedule with a timezone exists, then it ticks on the pattern', async () => {
    queue.work(Q, async (job) => record(job));
    await queue.upsertSchedule(Q, 'even-seconds', { pattern: '*/2 * * * * *', tz: 'Europe/Paris' }, { name: 'cron', data: {} });

    await waitFor(() => runs.length >= 2, 'two cron ticks', 8000);
    await queue.removeSchedule(Q, 'even-seconds');
    // Ticks are 2 s apart; the margin absorbs a late first tick on a busy machine.
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(1200);
  });

  it('when a schedule has a pattern it cannot read, then upsertSchedule rejects', async () => {
    await expect(queue.upsertSchedule(Q, 'bad', { pattern: 'every tuesday' }, { name: 'x', data: {} })).rejects.toThrow(/pattern/);
  });

  it('counts reflect waiting, delayed, completed and failed jobs', async () => {
    await queue.add(Q, 'ok', {});
    await queue.add(Q, 'bad', {}, { attempts: 1 });
    await queue.add(Q, 'later', {}, { delayMs: 60_000 });
    expect(await queue.counts(Q)).toEqual({ waiting: 2, active: 0, delayed: 1, completed: 0, failed: 0 });

    queue.work(Q, async (job) => {
      if (job.name === 'bad') throw new Error('bad');
    });
    await waitFor(async () => (await queue.counts(Q)).failed === 1 && (await queue.counts(Q)).completed === 1, 'both to finish');
    expect(await queue.counts(Q)).toEqual({ waiting: 0, active: 0, delayed: 1, completed: 1, failed: 1 });
  });

  it('activity counts the completions of the last minute, forgotten jobs included, and tells since when the oldest job waits', async () => {
    expect(await queue.activity(Q)).toEqual({ completedLastMinute: 0, oldestWaitingSince: null });
    const before = Date.now();
    await queue.add('idle', 'first', {});
    const after = Date.now();
    await queue.add('idle', 'second', {});
    const since = (await queue.activity('idle')).oldestWaitingSince;
    expect(since?.getTime()).toBeGreaterThanOrEqual(before);
    expect(since?.getTime()).toBeLessThanOrEqual(after);

    queue.work(Q, async (job) => record(job));
    await queue.add(Q, 'kept', {});
    await queue.add(Q, 'forgotten', {}, { forgetWhenCompleted: true });
    await waitFor(() => runs.length === 2, 'both jobs to run');
    await waitFor(async () => (await queue.activity(Q)).completedLastMinute === 2, 'two completions in the last minute');
    expect((await queue.activity(Q)).oldestWaitingSince).toBeNull();
  });

  it('when work() is given a concurrency, then that many jobs run at once', async () => {
    let running = 0;
    let most = 0;
    const release = deferred();
    queue.work(
      Q,
      async () => {
        most = Math.max(most, ++running);
        await release.promise;
        running--;
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 5; i++) await queue.add(Q, 'parallel', { i });

    await waitFor(() => running === 3, 'three jobs running together');
    expect((await queue.counts(Q)).active).toBe(3);
    release.resolve();
    await waitFor(async () => (await queue.counts(Q)).completed === 5, 'all five to complete');
    expect(most).toBe(3);
  });

  it('when close() is called during a job, then it waits for the job to finish', async () => {
    const started = deferred();
    let finished = false;
    queue.work(Q, async () => {
      started.resolve();
      await sleep(300);
      finished = true;
    });
    await queue.add(Q, 'slow', {});
    await started.promise;

    await queue.close(5000);
    expect(finished).toBe(true);
  });

  it('when a job outlives the grace period, then close() returns after it anyway', async () => {
    const started = deferred();
    const release = deferred();
    queue.work(Q, async () => {
      started.resolve();
      await release.promise;
    });
    await queue.add(Q, 'stuck', {});
    await started.promise;

    const before = Date.now();
    await queue.close(200);
    release.resolve();
    expect(Date.now() - before).toBeLessThan(3000);
  });

  it('after close(), add and ping reject', async () => {
    await queue.close();
    await expect(queue.add(Q, 'late', {})).rejects.toThrow(/closed/);
    await expect(queue.ping()).rejects.toThrow();
  });

  it('ping resolves while the backend is usable', async () => {
    await expect(queue.ping()).resolves.toBeUndefined();
  });

  it('when the backend is unreachable, then ping and add reject quickly instead of hanging', async () => {
    const dead = await h.unreachable();
    const before = Date.now();
    await expect(dead.ping()).rejects.toThrow();
    await expect(dead.add(Q, 'lost', {})).rejects.toThrow();
    expect(Date.now() - before).toBeLessThan(2500);
  });
}

describe('JobQueue conformance: in-process', () => conformanceCases(memoryHarness));

describeWithRedis('JobQueue conformance: BullMQ', (redisUrl) => conformanceCases(() => bullmqHarness(redisUrl)));

// Every test on a hash-tagged prefix of its own, so the run spreads over the cluster's masters.
describeWithRedisCluster('JobQueue conformance: BullMQ on a Redis Cluster', (clusterUrl) => conformanceCases(() => bullmqHarness(clusterUrl, uniqueClusterPrefix('conf'))));
