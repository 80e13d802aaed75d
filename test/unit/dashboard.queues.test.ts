import { queuesPanel, queuesPanelSchema, type QueueCounter } from '../../src/modules/dashboard';
import { QueuesUnavailableError } from '../../src/modules/dashboard/dashboard.errors';
import { createFakeClock, createMemoryQueue, type JobQueue } from '../../src/platform/queue';
import { completedInLastMinute } from '../../src/platform/queue/completion-count';
import { silentLogger, waitFor } from '../support/queue-helpers';

/** The queues panel's throughput and oldest wait, from the queue abstraction; a failing backend is a 503. */

describe('the in-process queue', () => {
  let queue: JobQueue;
  afterEach(() => queue?.close(0));

  it('counts the jobs completed in the last minute, forgotten ones included, and forgets them a minute later', async () => {
    const clock = createFakeClock(Date.parse('2026-01-01T10:00:00Z'));
    queue = createMemoryQueue({ logger: silentLogger(), clock });
    queue.work('q', async () => undefined);
    await queue.add('q', 'a', {});
    await queue.add('q', 'b', {}, { forgetWhenCompleted: true });
    await waitFor(async () => (await queue.activity('q')).completedLastMinute === 2, 'both jobs to complete');
    await clock.advance(61_000);
    expect((await queue.activity('q')).completedLastMinute).toBe(0);
  });

  it('tells when the oldest waiting job began to wait, and the panel its age', async () => {
    const start = Date.parse('2026-01-01T10:00:00Z');
    const clock = createFakeClock(start);
    queue = createMemoryQueue({ logger: silentLogger(), clock });
    expect((await queue.activity('idle')).oldestWaitingSince).toBeNull();
    await queue.add('idle', 'first', {});
    await clock.advance(10_000);
    await queue.add('idle', 'second', {});
    await clock.advance(20_000);
    expect((await queue.activity('idle')).oldestWaitingSince).toEqual(new Date(start));
    const panel = queuesPanelSchema.parse(await queuesPanel(queue, ['idle'], { now: () => clock.now() }));
    expect(panel.queues[0]).toMatchObject({ queue: 'idle', waiting: 2, jobsPerMinute: 0, oldestWaitingSeconds: 30 });
    expect(panel.scope).toBe('process');
  });
});

describe('per-minute completion counts as the last 60 s', () => {
  const at = (s: number) => Date.parse('2026-01-01T10:00:00Z') + s * 1000;
  it('adds this minute so far to the share of the minute before still inside the window', () => {
    // 4 since the minute began (10:00), 12 in 9:59; at 10:00:15 three quarters of 9:59 are within 60 s.
    expect(completedInLastMinute(4, 12, at(15))).toBe(13);
  });
  it('when nothing completed this minute, counts the share of the minute before', () => {
    expect(completedInLastMinute(0, 8, at(30))).toBe(4);
  });
  it('when nothing completed in either minute, then 0', () => {
    expect(completedInLastMinute(0, 0, at(30))).toBe(0);
  });
});

describe('when the queue backend fails', () => {
  const healthy: QueueCounter = {
    backend: 'memory',
    counts: async () => ({ waiting: 0, active: 0, delayed: 0, failed: 0 }),
    activity: async () => ({ completedLastMinute: 0, oldestWaitingSince: null }),
  };

  it('a rejected count is DASHBOARD.QUEUES_UNAVAILABLE, status 503', async () => {
    const failing: QueueCounter = { ...healthy, counts: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) };
    const error = await queuesPanel(failing, ['q']).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(QueuesUnavailableError);
    expect(error).toMatchObject({ code: 'DASHBOARD.QUEUES_UNAVAILABLE', status: 503 });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('a backend that never answers is the same 503 once the bound has passed, not a hang', async () => {
    const hanging: QueueCounter = { ...healthy, activity: () => new Promise(() => undefined) };
    await expect(queuesPanel(hanging, ['q'], { timeoutMs: 50 })).rejects.toMatchObject({ code: 'DASHBOARD.QUEUES_UNAVAILABLE', status: 503 });
  });
});
