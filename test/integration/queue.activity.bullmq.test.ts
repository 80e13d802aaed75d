import { queuesPanel } from '../../src/modules/dashboard';
import { createBullmqQueue } from '../../src/platform/queue';
import type { JobQueue } from '../../src/platform/queue';
import { closedPort, deleteKeys, silentLogger, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';

/** Jobs per minute on BullMQ, read from Redis: what every web process shows alike (the rest is in queue.conformance). */

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
    expect((await queuesPanel(reader, ['done'])).scope).toBe('deployment');
  });

  it('when Redis is stopped, then the panel fails as DASHBOARD.QUEUES_UNAVAILABLE (503) within its bound', async () => {
    const dead = createBullmqQueue({ redisUrl: `redis://127.0.0.1:${await closedPort()}`, prefix, logger: silentLogger(), connectWaitMs: 200 });
    queues.push(dead);
    await expect(queuesPanel(dead, ['done'])).rejects.toMatchObject({ code: 'DASHBOARD.QUEUES_UNAVAILABLE', status: 503 });
  });
});
