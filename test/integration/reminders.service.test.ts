import { createRemindersService, REMINDERS_QUEUE, type RemindersService } from '../../src/modules/reminders';
import { type Clock, type NotifierMessage } from '../../src/kernel';
import { createFakeClock, createMemoryQueue, type FakeClock, type JobOptions, type JobQueue, type QueueCounts } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { idle, silentLogger, waitFor } from '../support/queue-helpers';

/**
 * Reminders on real PostgreSQL and the in-process queue, on a fake clock: nothing here
 * waits for a minute to pass, the clock is moved instead.
 */
const logger = silentLogger();
const ada = { teamId: 'T0ADA', userId: 'U0ADA' };
const bob = { teamId: 'T0ADA', userId: 'U0BOB' };
const START = Date.parse('2026-11-20T10:00:00Z'); // 11:00 in Paris

interface Added {
  queue: string;
  name: string;
  data: unknown;
  options: JobOptions | undefined;
}

/** The queue as it is, with every add written down. */
function recording(queue: JobQueue): { queue: JobQueue; adds: Added[] } {
  const adds: Added[] = [];
  return {
    adds,
    queue: {
      ...queue,
      add: (name, job, data, options) => {
        adds.push({ queue: name, name: job, data, options });
        return queue.add(name, job, data, options);
      },
    },
  };
}

let db: TestDatabase;
let fake: FakeClock;
let clock: Clock;
let queues: JobQueue[];
let sent: Array<NotifierMessage & { at: string }>;
let zones: Record<string, string>;

function service(queue: JobQueue): RemindersService {
  return createRemindersService({
    dataSource: db.dataSource,
    queue,
    notifier: async (message) => void sent.push({ ...message, at: clock.now().toISOString() }),
    timezones: async (ref) => zones[ref.userId],
    clock,
    logger,
  });
}

/** Waits until every job the clock has released so far has ended; then says what the queue holds. */
async function afterReleasedJobs(queue: JobQueue): Promise<QueueCounts> {
  await waitFor(() => idle(queue, REMINDERS_QUEUE), 'every released reminder job has run');
  return queue.counts(REMINDERS_QUEUE);
}

function memoryQueue(): JobQueue {
  const queue = createMemoryQueue({ logger, clock: fake });
  queues.push(queue);
  return queue;
}

async function statusOf(id: number): Promise<string> {
  const [row] = await db.dataSource.query('SELECT status FROM reminders_reminders WHERE id = $1', [id]);
  return row.status;
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

beforeEach(async () => {
  await db.dataSource.query('TRUNCATE reminders_reminders');
  fake = createFakeClock(START);
  clock = { now: () => new Date(fake.now()) };
  queues = [];
  sent = [];
  zones = {};
});

afterEach(async () => {
  await Promise.all(queues.map((q) => q.close(1000)));
});

describe('creating a reminder', () => {
  it('when asked for in 1 minute, then a job is delayed 60 s under the key reminder:<id>', async () => {
    const { queue, adds } = recording(memoryQueue());

    const reminder = await service(queue).create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });

    expect(reminder).toMatchObject({ text: 'stretch', status: 'pending', dueAt: '2026-11-20T10:01:00.000Z', timezone: 'UTC' });
    expect(adds).toEqual([
      {
        queue: REMINDERS_QUEUE,
        name: 'deliver',
        data: { id: reminder.id },
        options: expect.objectContaining({ delayMs: 60_000, idempotencyKey: `reminder:${reminder.id}` }),
      },
    ]);
  });

  it("when asked for at 07:05, then it is tomorrow 07:05 in the member's zone, since 07:05 has passed today", async () => {
    zones[ada.userId] = 'Europe/Paris';
    const { queue, adds } = recording(memoryQueue());

    const reminder = await service(queue).create(ada, { channelId: 'D0ADA' }, 'call mum', { atLocal: '7:05' });

    expect(reminder).toMatchObject({ dueAt: '2026-11-21T06:05:00.000Z', timezone: 'Europe/Paris' });
    expect(adds[0]?.options?.delayMs).toBe(Date.parse('2026-11-21T06:05:00Z') - START);
  });

  it.each([
    ['no text', '   ', { inMinutes: 5 }, 'What should I remind you about?'],
    ['501 characters', 'x'.repeat(501), { inMinutes: 5 }, 'too long'],
    ['0 minutes', 'stretch', { inMinutes: 0 }, 'I can remind you in 1 minute to 30 days.'],
    ['30 days and a minute', 'stretch', { inMinutes: 30 * 1440 + 1 }, 'I can remind you in 1 minute to 30 days.'],
    ['25:00', 'stretch', { atLocal: '25:00' }, "“25:00” isn't a time of day"],
  ])('when given %s, then REMINDERS.INVALID and nothing is stored or queued', async (_case, what, when, message) => {
    const { queue, adds } = recording(memoryQueue());

    const attempt = service(queue).create(ada, { channelId: 'D0ADA' }, what, when);

    await expect(attempt).rejects.toMatchObject({ code: 'REMINDERS.INVALID', message: expect.stringContaining(message) });
    expect(await db.dataSource.query('SELECT id FROM reminders_reminders')).toEqual([]);
    expect(adds).toEqual([]);
  });

  it('when 500 characters of emoji, then it is accepted: characters are counted as a member counts them', async () => {
    const reminder = await service(memoryQueue()).create(ada, { channelId: 'D0ADA' }, '☕'.repeat(250) + '🍰'.repeat(250), { inMinutes: 5 });

    expect([...reminder.text]).toHaveLength(500);
  });

  it('when the queue refuses the job, then the error surfaces and the reminder is cancelled, not left for recovery', async () => {
    const broken: JobQueue = { ...memoryQueue(), add: async () => Promise.reject(new Error('redis down')) };

    await expect(service(broken).create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 5 })).rejects.toThrow('redis down');

    expect(await db.dataSource.query('SELECT status FROM reminders_reminders')).toEqual([{ status: 'cancelled' }]);
  });
});

describe('delivering a reminder', () => {
  it('when a reminder in 1 minute comes due, then it is handed to delivery once, in its thread, and marked sent; delivered once Slack has it', async () => {
    const queue = memoryQueue();
    const reminders = service(queue);
    reminders.start();
    const { id } = await reminders.create(ada, { channelId: 'C0GEN', threadTs: '1700000000.000100' }, 'stretch <!channel>', { inMinutes: 1 });

    await fake.advance(59_999);
    // Still held by the clock: its job has not been released, so it cannot have run.
    expect(await queue.counts(REMINDERS_QUEUE)).toMatchObject({ delayed: 1, waiting: 0, active: 0, completed: 0 });
    expect(sent).toEqual([]);
    await fake.advance(1);
    await waitFor(async () => (await statusOf(id)) === 'sent', 'the reminder is handed over');

    expect(sent).toEqual([
      {
        teamId: 'T0ADA',
        channel: 'C0GEN',
        threadTs: '1700000000.000100',
        text: ':alarm_clock: Reminder for <@U0ADA>: stretch &lt;!channel&gt;',
        key: `reminder:${id}`,
        at: '2026-11-20T10:01:00.000Z',
      },
    ]);
    await fake.advance(2_000);
    expect(await reminders.settle(`reminder:${id}`, 'posted')).toBe(true);
    const [row] = await db.dataSource.query('SELECT status, delivered_at FROM reminders_reminders WHERE id = $1', [id]);
    expect(row.status).toBe('delivered');
    expect(row.delivered_at.toISOString()).toBe('2026-11-20T10:01:02.000Z');
  });

  it('when its job runs twice (a retry), then the notifier is called once', async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });
    await fake.advance(60_000);

    expect(await reminders.deliver(id)).toBe('sent');
    expect(await reminders.deliver(id)).toBe('skipped');

    expect(sent).toHaveLength(1);
    expect(await statusOf(id)).toBe('sent');
  });

  it('when the job runs twice at once, then both posts carry the same key, so delivery posts once', async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });

    await Promise.all([reminders.deliver(id), reminders.deliver(id)]);

    expect(new Set(sent.map((m) => m.key))).toEqual(new Set([`reminder:${id}`]));
    expect(await statusOf(id)).toBe('sent');
  });

  it('when the notifier fails, then the reminder stays pending and the job fails, to be retried', async () => {
    const reminders = createRemindersService({
      dataSource: db.dataSource,
      queue: memoryQueue(),
      notifier: async () => Promise.reject(new Error('queue unavailable')),
      timezones: async () => undefined,
      clock,
      logger,
    });
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });

    await expect(reminders.deliver(id)).rejects.toThrow('queue unavailable');

    expect(await statusOf(id)).toBe('pending');
  });

  it('when the reminder was cancelled, then its job posts nothing', async () => {
    const queue = memoryQueue();
    const reminders = service(queue);
    reminders.start();
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });
    await reminders.cancel(ada, String(id));

    await fake.advance(120_000);

    // The job ran to its end, and found nothing to post.
    expect(await afterReleasedJobs(queue)).toMatchObject({ delayed: 0, failed: 0, completed: 1 });
    expect(sent).toEqual([]);
    expect(await statusOf(id)).toBe('cancelled');
  });

  it('when the job names no reminder, then it is skipped', async () => {
    expect(await service(memoryQueue()).deliver(424242)).toBe('skipped');
  });
});

describe('what delivery says about a reminder', () => {
  it('when Slack refused the message for good, then the reminder is failed, and cancelling it says so', async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(ada, { channelId: 'D0GONE' }, 'stretch', { inMinutes: 1 });
    await reminders.deliver(id);

    expect(await reminders.settle(`reminder:${id}`, 'given-up')).toBe(true);

    expect(await statusOf(id)).toBe('failed');
    await expect(reminders.cancel(ada, String(id))).rejects.toMatchObject({ code: 'REMINDERS.NOT_PENDING', message: `Reminder \`${id}\` could not be delivered.` });
  });

  it('when delivery finishes before the job has marked the reminder sent, then it is delivered and the job hands nothing over again', async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });

    expect(await reminders.settle(`reminder:${id}`, 'posted')).toBe(true);

    expect(await statusOf(id)).toBe('delivered');
    expect(await reminders.deliver(id)).toBe('skipped');
    expect(sent).toEqual([]);
  });

  it('when the message is not a reminder\'s, or its reminder was cancelled, then nothing changes', async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 5 });
    await reminders.cancel(ada, String(id));

    expect(await reminders.settle(`reminder:${id}`, 'posted')).toBe(false);
    expect(await reminders.settle(`alert:${id}:2026-11-20`, 'posted')).toBe(false);
    expect(await reminders.settle('reminder:not-a-number', 'posted')).toBe(false);

    expect(await statusOf(id)).toBe('cancelled');
  });

  it('when cancelling a reminder already handed over, then REMINDERS.NOT_PENDING says it was sent', async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });
    await reminders.deliver(id);

    await expect(reminders.cancel(ada, String(id))).rejects.toMatchObject({ code: 'REMINDERS.NOT_PENDING', message: `Reminder \`${id}\` was already sent.` });
  });
});

describe('listing and cancelling', () => {
  it("when listing, then only the member's own pending reminders, soonest first", async () => {
    const reminders = service(memoryQueue());
    const later = await reminders.create(ada, { channelId: 'D0ADA' }, 'later', { inMinutes: 90 });
    const sooner = await reminders.create(ada, { channelId: 'D0ADA' }, 'sooner', { inMinutes: 5 });
    const cancelled = await reminders.create(ada, { channelId: 'D0ADA' }, 'cancelled', { inMinutes: 7 });
    await reminders.cancel(ada, String(cancelled.id));
    await reminders.create(bob, { channelId: 'D0BOB' }, "bob's", { inMinutes: 1 });

    const listed = await reminders.list(ada);

    expect(listed.map((r) => r.id)).toEqual([sooner.id, later.id]);
  });

  it('when cancelling by "#id", then it is cancelled', async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 5 });

    await expect(reminders.cancel(ada, `#${id}`)).resolves.toMatchObject({ id, status: 'cancelled' });
  });

  it("when cancelling someone else's reminder, then REMINDERS.NOT_FOUND and it stays pending", async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(bob, { channelId: 'D0BOB' }, 'stretch', { inMinutes: 5 });

    await expect(reminders.cancel(ada, String(id))).rejects.toMatchObject({ code: 'REMINDERS.NOT_FOUND', status: 404 });

    expect(await statusOf(id)).toBe('pending');
  });

  it.each(['999999', 'abc', '1.5', '99999999999999'])('when cancelling unknown id "%s", then REMINDERS.NOT_FOUND', async (id) => {
    await expect(service(memoryQueue()).cancel(ada, id)).rejects.toMatchObject({
      code: 'REMINDERS.NOT_FOUND',
      message: expect.stringContaining(`\`${id}\``),
    });
  });

  it('when cancelling a delivered reminder, then REMINDERS.NOT_PENDING', async () => {
    const reminders = service(memoryQueue());
    const { id } = await reminders.create(ada, { channelId: 'D0ADA' }, 'stretch', { inMinutes: 1 });
    await reminders.deliver(id);

    await expect(reminders.cancel(ada, String(id))).rejects.toMatchObject({ code: 'REMINDERS.NOT_PENDING' });
  });
});

describe('recovering pending reminders at start-up', () => {
  it('when the queue lost everything, then every pending reminder is re-enqueued and each is delivered once', async () => {
    const before = service(memoryQueue()); // no worker: the process dies before anything runs
    const overdue = await before.create(ada, { channelId: 'D0ADA' }, 'overdue', { inMinutes: 1 });
    const soon = await before.create(ada, { channelId: 'D0ADA' }, 'soon', { inMinutes: 10 });
    const later = await before.create(bob, { channelId: 'D0BOB' }, 'later', { inMinutes: 120 });
    const done = await before.create(bob, { channelId: 'D0BOB' }, 'done', { inMinutes: 1 });
    await before.deliver(done.id);
    await before.settle(`reminder:${done.id}`, 'posted');
    sent = [];
    await fake.advance(5 * 60_000);
    await queues[0]!.close(1000);

    const { queue, adds } = recording(memoryQueue()); // a fresh, empty queue: Redis flushed
    const after = service(queue);
    expect(await after.recoverPending()).toBe(3);
    expect(await after.recoverPending()).toBe(3); // twice, as two starting workers would
    after.start();

    expect(adds.map((a) => [a.data, a.options?.delayMs])).toEqual([
      [{ id: overdue.id }, 0],
      [{ id: soon.id }, 5 * 60_000],
      [{ id: later.id }, 115 * 60_000],
      [{ id: overdue.id }, 0],
      [{ id: soon.id }, 5 * 60_000],
      [{ id: later.id }, 115 * 60_000],
    ]);
    await waitFor(() => sent.length === 1, 'the overdue reminder is delivered at once');
    await fake.advance(5 * 60_000);
    await waitFor(() => sent.length === 2, 'the next one is delivered on time');
    await fake.advance(110 * 60_000);
    await waitFor(() => sent.length === 3, 'the last one is delivered on time');
    // Three jobs, all ended: the second recovery added none.
    expect(await afterReleasedJobs(queue)).toMatchObject({ delayed: 0, failed: 0, completed: 3 });

    expect(sent.map((m) => [m.key, m.at])).toEqual([
      [`reminder:${overdue.id}`, '2026-11-20T10:05:00.000Z'],
      [`reminder:${soon.id}`, '2026-11-20T10:10:00.000Z'],
      [`reminder:${later.id}`, '2026-11-20T12:00:00.000Z'],
    ]);
    // Delivery reports each posted: nothing is left to recover.
    for (const message of sent) await after.settle(message.key, 'posted');
    expect(await after.recoverPending()).toBe(0);
  });
});

describe('recovering reminders handed over but not known to be posted', () => {
  it('when Redis lost a delivery, then a restart hands the sent reminder over again, to be looked for in Slack before it is posted', async () => {
    const before = service(memoryQueue());
    const handedOver = await before.create(ada, { channelId: 'D0ADA', threadTs: '1700000000.000100' }, 'handed over', { inMinutes: 1 });
    const posted = await before.create(bob, { channelId: 'D0BOB' }, 'posted', { inMinutes: 1 });
    await fake.advance(60_000);
    await before.deliver(handedOver.id);
    await before.deliver(posted.id);
    await before.settle(`reminder:${posted.id}`, 'posted');
    sent = [];
    await queues[0]!.close(1000);

    const { queue, adds } = recording(memoryQueue());
    const after = service(queue);
    expect(await after.recoverPending()).toBe(1);

    expect(adds).toEqual([]);
    expect(sent).toEqual([
      {
        teamId: 'T0ADA',
        channel: 'D0ADA',
        threadTs: '1700000000.000100',
        text: ':alarm_clock: Reminder for <@U0ADA>: handed over',
        key: `reminder:${handedOver.id}`,
        mayBePostedSince: Date.parse('2026-11-20T10:01:00Z'),
        at: '2026-11-20T10:01:00.000Z',
      },
    ]);
    expect(await statusOf(handedOver.id)).toBe('sent');
    await after.settle(`reminder:${handedOver.id}`, 'posted');
    expect(await after.recoverPending()).toBe(0);
  });
});

describe('the table', () => {
  it('the entity matches the migrated table: TypeORM would change nothing in reminders_reminders', async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();

    expect(sql.upQueries.map((q) => q.query).filter((q) => q.includes('reminders_reminders'))).toEqual([]);
  });
});
