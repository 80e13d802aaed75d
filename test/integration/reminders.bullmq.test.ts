import { Queue } from 'bullmq';
import { createRemindersService, REMINDERS_QUEUE, type RemindersService } from '../../src/modules/reminders';
import { type NotifierMessage } from '../../src/kernel';
import { createBullmqQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteKeys, idle, silentLogger, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';

/**
 * The same recovery on BullMQ: reminders waiting as delayed jobs in Redis, Redis emptied
 * (every key of this test's prefix deleted), a fresh start re-enqueues them from PostgreSQL
 * and each is delivered exactly once.
 */
const logger = silentLogger();
const ada = { teamId: 'T0ADA', userId: 'U0ADA' };
const MINUTE = 60_000;

describeWithRedis('reminders on BullMQ', (redisUrl) => {
  let db: TestDatabase;
  let prefix: string;
  let queues: JobQueue[];
  let sent: NotifierMessage[];

  function start(now: () => Date): { queue: JobQueue; reminders: RemindersService } {
    const queue = createBullmqQueue({ redisUrl, prefix, logger });
    queues.push(queue);
    const reminders = createRemindersService({
      dataSource: db.dataSource,
      queue,
      notifier: async (message) => void sent.push(message),
      timezones: async () => undefined,
      clock: { now },
      logger,
    });
    return { queue, reminders };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  beforeEach(() => {
    prefix = uniquePrefix('reminders');
    queues = [];
    sent = [];
  });

  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close(1000)));
    await deleteKeys(redisUrl, prefix);
  });

  it('when Redis is flushed with reminders pending, then a restart re-enqueues them and each is delivered once', async () => {
    // Made "an hour ago" so that, by now, two are overdue; the third is due tomorrow.
    const anHourAgo = new Date(Date.now() - 60 * MINUTE);
    const first = start(() => anHourAgo);
    const a = await first.reminders.create(ada, { channelId: 'D0ADA' }, 'a', { inMinutes: 1 });
    const b = await first.reminders.create(ada, { channelId: 'D0ADA' }, 'b', { inMinutes: 2 });
    const c = await first.reminders.create(ada, { channelId: 'D0ADA' }, 'c', { inMinutes: 25 * 60 });
    expect((await first.queue.counts(REMINDERS_QUEUE)).delayed).toBe(3);
    await first.queue.close(1000);
    await deleteKeys(redisUrl, prefix);

    const second = start(() => new Date());
    expect((await second.queue.counts(REMINDERS_QUEUE)).delayed).toBe(0);
    expect(await second.reminders.recoverPending()).toBe(3);
    expect(await second.reminders.recoverPending()).toBe(3); // a second worker starting: no duplicates
    second.reminders.start();

    await waitFor(() => sent.length >= 2, 'the overdue reminders are delivered', 10_000);
    // Every job taken has ended: two completed, the third still delayed, no duplicate left to run.
    await waitFor(() => idle(second.queue, REMINDERS_QUEUE), 'the jobs taken have ended');
    expect(await second.queue.counts(REMINDERS_QUEUE)).toMatchObject({ delayed: 1, waiting: 0, active: 0, completed: 2, failed: 0 });
    expect(sent.map((m) => m.key).sort()).toEqual([`reminder:${a.id}`, `reminder:${b.id}`]);
    const rows: Array<{ id: number; status: string }> = await db.dataSource.query(
      'SELECT id, status FROM reminders_reminders WHERE id = ANY($1) ORDER BY id',
      [[a.id, b.id, c.id]],
    );
    expect(rows).toEqual([
      { id: a.id, status: 'sent' },
      { id: b.id, status: 'sent' },
      { id: c.id, status: 'pending' },
    ]);
  });

  it('when a reminder is asked for in 1 minute, then Redis holds one job delayed 60 s under its key, and a retry posts nothing more', async () => {
    const now = new Date();
    const { reminders } = start(() => now);
    const inspector = new Queue(REMINDERS_QUEUE, { connection: { url: redisUrl }, prefix });
    try {
      const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });

      const delayed = await inspector.getDelayed();
      expect(delayed).toHaveLength(1);
      const job = delayed[0];
      expect(job).toMatchObject({ name: 'deliver', data: { id }, delay: 60_000 });
      expect(job?.opts.deduplication?.id).toBe(`reminder:${id}`);

      await reminders.deliver(id);
      await reminders.deliver(id);
      expect(sent.map((m) => m.key)).toEqual([`reminder:${id}`]);
    } finally {
      await inspector.close();
    }
  });
});
