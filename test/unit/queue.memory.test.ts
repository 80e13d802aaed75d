import { createFakeClock, type FakeClock } from '../../src/platform/queue/clock';
import { createMemoryQueue, type MemoryQueueOptions } from '../../src/platform/queue/memory-queue';
import { PermanentJobError, RetryAfterError, type JobInfo, type JobQueue } from '../../src/platform/queue/queue';
import { silentLogger, waitFor } from '../support/queue-helpers';

const SAT_29_MARCH_2025 = Date.UTC(2025, 2, 29, 0, 0, 0);

describe('in-process queue on a fake clock', () => {
  let clock: FakeClock;
  let queue: JobQueue;
  let runs: { job: JobInfo; at: number }[];
  const open = (options: Partial<MemoryQueueOptions> = {}) => {
    clock = createFakeClock(SAT_29_MARCH_2025);
    // random = 1 takes the top of the jitter range, so delays are exact.
    queue = createMemoryQueue({ logger: silentLogger(), clock, random: () => 1, ...options });
    runs = [];
  };
  const record = (job: JobInfo): void => {
    runs.push({ job, at: clock.now() - SAT_29_MARCH_2025 });
  };
  const runCount = (n: number) => waitFor(() => runs.length === n, `${n} runs`, 2000);

  afterEach(() => queue.close(100));

  it('when a job keeps failing, then its tries come after 1x, 2x and 4x the backoff base', async () => {
    open();
    await queue.add('q', 'flaky', {}, { attempts: 4, backoffMs: 1000 });
    queue.work('q', async (job) => {
      record(job);
      throw new Error('down');
    });
    await runCount(1);

    await clock.advance(999);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    await runCount(2);
    await clock.advance(2000);
    await runCount(3);
    await clock.advance(4000);
    await runCount(4);

    expect(runs.map((r) => r.at)).toEqual([0, 1000, 3000, 7000]);
    expect(await queue.failed('q')).toEqual([expect.objectContaining({ attemptsMade: 4, reason: 'down' })]);
  });

  it('when a handler throws RetryAfterError, then the retry comes exactly retryAfterMs later', async () => {
    open();
    await queue.add('q', 'throttled', {}, { backoffMs: 10 });
    queue.work('q', async (job) => {
      record(job);
      if (job.attemptsMade === 0) throw new RetryAfterError('429', 30_000);
    });
    await runCount(1);

    await clock.advance(29_999);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    await runCount(2);
    expect(runs[1]!.at).toBe(30_000);
  });

  it('when an idempotency key outlives its ttl, then the same key adds a new job', async () => {
    open();
    const first = await queue.add('q', 'event', {}, { idempotencyKey: 'Ev1', idempotencyTtlMs: 1000 });
    await clock.advance(999);
    const within = await queue.add('q', 'event', {}, { idempotencyKey: 'Ev1', idempotencyTtlMs: 1000 });
    await clock.advance(1);
    const after = await queue.add('q', 'event', {}, { idempotencyKey: 'Ev1', idempotencyTtlMs: 1000 });

    expect(within).toBe(first);
    expect(after).not.toBe(first);
    expect((await queue.counts('q')).waiting).toBe(2);
  });

  it('when a daily alert is set for 07:30 Europe/Paris, then it fires at 07:30 local on both sides of the DST change', async () => {
    open();
    queue.work('q', async (job) => record(job));
    await queue.upsertSchedule('q', 'alert-U1', { pattern: '30 7 * * *', tz: 'Europe/Paris' }, { name: 'alert', data: { user: 'U1' } });

    await clock.advance(2 * 24 * 60 * 60 * 1000);
    await runCount(2);
    const fired = runs.map((r) => new Date(SAT_29_MARCH_2025 + r.at).toISOString());
    expect(fired).toEqual(['2025-03-29T06:30:00.000Z', '2025-03-30T05:30:00.000Z']);
  });

  it('when nobody works a scheduled queue, then ticks do not pile up', async () => {
    open();
    await queue.upsertSchedule('q', 'every-second', { everyMs: 1000 }, { name: 'tick', data: {} });
    await clock.advance(10_000);
    expect((await queue.counts('q')).waiting).toBe(1);
  });

  it('when a job is delayed longer than a Node timer can wait, then it runs at its time', async () => {
    open();
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    queue.work('q', async (job) => record(job));
    await queue.add('q', 'reminder', {}, { delayMs: thirtyDays });

    await clock.advance(thirtyDays - 1);
    expect(runs).toHaveLength(0);
    await clock.advance(1);
    await runCount(1);
  });

  it('when a handler changes the job data and fails, then the next try sees the data as added', async () => {
    open();
    const seen: number[] = [];
    await queue.add('q', 'mutating', { count: 1 }, { backoffMs: 10 });
    queue.work('q', async (job: JobInfo<{ count: number }>) => {
      seen.push(job.data.count);
      job.data.count = 99;
      if (job.attemptsMade === 0) throw new Error('again');
    });
    await waitFor(() => seen.length === 1, 'the first try');
    await clock.advance(10);
    await waitFor(() => seen.length === 2, 'the second try');
    expect(seen).toEqual([1, 1]);
  });

  it('keeps the newest failed jobs first, up to keepFailed, and counts at most keepCompleted', async () => {
    open({ keepFailed: 2, keepCompleted: 2 });
    for (const name of ['a', 'b', 'c']) await queue.add('q', name, {});
    for (const name of ['ok1', 'ok2', 'ok3']) await queue.add('q', name, {});
    queue.work('q', async (job) => {
      if (!job.name.startsWith('ok')) throw new PermanentJobError(`no ${job.name}`);
    });

    await waitFor(async () => (await queue.counts('q')).waiting === 0 && (await queue.counts('q')).active === 0, 'all jobs done');
    expect((await queue.failed('q')).map((f) => f.reason)).toEqual(['no c', 'no b']);
    expect(await queue.counts('q')).toMatchObject({ completed: 2, failed: 2 });
    expect(await queue.failed('q', 1)).toHaveLength(1);
  });

  it('when the queue is closed, then delayed jobs and schedules never fire', async () => {
    open();
    queue.work('q', async (job) => record(job));
    await queue.add('q', 'later', {}, { delayMs: 1000 });
    await queue.upsertSchedule('q', 'cron', { pattern: '* * * * *' }, { name: 'tick', data: {} });

    await queue.close();
    await clock.advance(120_000);
    expect(runs).toHaveLength(0);
    expect(clock.pending()).toBe(0);
    expect(() => queue.work('q', async () => undefined)).toThrow(/closed/);
  });
});
