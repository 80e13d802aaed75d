import { queuesPanel, queuesPanelSchema } from '../../src/modules/dashboard';
import { createBullmqQueue } from '../../src/platform/queue';
import type { JobQueue } from '../../src/platform/queue';
import { closedPort, deleteKeys, silentLogger, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';

/** Jobs per minute and the oldest wait on BullMQ, read from Redis: what every web process shows alike. */

describeWithRedis('BullMQ queue activity', (redisUrl) => {
  let prefix: string;
  let queues: JobQueue[];
  const open = () => {
    const queue = createBullmqQueue({ redisUrl, prefix, logger: silentLogger() });
    queues.push(queue);
    return queue;
  };
  beforeEach(() => {
    prefix = uniquePrefix('activity');
    queues = [];
  });
  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close(1000)));
    await deleteKeys(redisUrl, prefix);
  });

  it("counts completions of the last minute, forgotten jobs included, and another process reads the same figure", async () => {
    const worker = open();
    worker.work('done', async () => undefined);
    await worker.add('done', 'a', {});
    await worker.add('done', 'b', {}, { forgetWhenCompleted: true });
    await worker.add('done', 'c', {});
    // A second process, working nothing, reading the same Redis.
    const reader = open();
    await waitFor(async () => (await reader.counts('done')).completed === 2 && (await reader.counts('done')).active === 0, 'the jobs to complete');
    await waitFor(async () => (await reader.activity('done')).completedLastMinute === 3, 'three completions in the last minute');
    expect(await worker.activity('done')).toEqual(await reader.activity('done'));
  });

  it('tells when the oldest waiting job was added, and null while none waits', async () => {
    const queue = open();
    expect(await queue.activity('idle')).toEqual({ completedLastMinute: 0, oldestWaitingSince: null });
    const before = Date.now();
    await queue.add('idle', 'first', {});
    const after = Date.now();
    await queue.add('idle', 'second', {});
    const since = (await queue.activity('idle')).oldestWaitingSince!;
    expect(since.getTime()).toBeGreaterThanOrEqual(before);
    expect(since.getTime()).toBeLessThanOrEqual(after);
    const panel = queuesPanelSchema.parse(await queuesPanel(queue, ['idle']));
    expect(panel.queues[0]).toMatchObject({ waiting: 2, jobsPerMinute: 0, oldestWaitingSeconds: expect.any(Number) });
  });

  it('when Redis is stopped, then the panel fails as DASHBOARD.QUEUES_UNAVAILABLE (503) within its bound', async () => {
    const dead = createBullmqQueue({ redisUrl: `redis://127.0.0.1:${await closedPort()}`, prefix, logger: silentLogger(), connectWaitMs: 200 });
    queues.push(dead);
    await expect(queuesPanel(dead, ['done'])).rejects.toMatchObject({ code: 'DASHBOARD.QUEUES_UNAVAILABLE', status: 503 });
  });
});
