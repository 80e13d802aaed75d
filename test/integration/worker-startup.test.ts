import { Queue } from 'bullmq';
import { ALERTS_QUEUE, createAlertsService } from '../../src/modules/alerts';
import { createRemindersService, REMINDERS_QUEUE } from '../../src/modules/reminders';
import { createFakeClock, createMemoryQueue, type FakeClock } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { deleteKeys, silentLogger } from '../support/queue-helpers';
import { describeWithRedis } from '../support/redis';

/**
 * A process starting as `npm start` and `npm run worker` do (wireJeeves, then startWorkers) on a
 * database that outlived its queue (Redis flushed, or the in-process queue gone with its
 * process): the reminders and daily alerts the database holds are queued again and delivered.
 */
const logger = silentLogger();
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ada = { teamId: 'T061EG9R6', userId: 'U0ADA' };
const OVERDUE = ':alarm_clock: Reminder for <@U0ADA>: overdue';
const LATER = ':alarm_clock: Reminder for <@U0ADA>: later';

interface LeftBehind {
  laterId: number;
}

/**
 * What an earlier process left in the database: a reminder that came due while nothing ran,
 * one due in 30 minutes, and a daily alert at 07:30 UTC. Their jobs went with its queue.
 */
async function leftBehind(db: TestDatabase): Promise<LeftBehind> {
  const lost = createMemoryQueue({ logger });
  let now = new Date(Date.now() - 10 * MINUTE);
  const deps = { dataSource: db.dataSource, queue: lost, notifier: async () => undefined, timezones: async () => undefined, logger };
  const reminders = createRemindersService({ ...deps, clock: { now: () => now } });
  await reminders.create(ada, { channelId: 'D0OVERDUE' }, 'overdue', { inMinutes: 1 });
  now = new Date();
  const later = await reminders.create(ada, { channelId: 'D0LATER' }, 'later', { inMinutes: 30 });
  await createAlertsService({ ...deps, weather: async () => '' }).enable(ada, 'D0ALERT', '07:30');
  await lost.close(1000);
  return { laterId: later.id };
}

const textsIn = (h: JeevesHarness, channel: string) => h.slack.messages.filter((m) => m.channel === channel).map((m) => m.text);

describe('a worker starting on a database whose queue is gone, in-process queue', () => {
  let db: TestDatabase;
  let fake: FakeClock;
  let h: JeevesHarness;

  beforeAll(async () => {
    db = await createTestDatabase();
    await leftBehind(db);
    // Any instant will do: the queue's delays are relative, and its 07:30 is the next one after it.
    fake = createFakeClock(Date.parse('2026-11-20T12:00:00Z'));
    h = await startJeevesHarness({}, { database: db, queueClock: fake });
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('then the overdue reminder is posted at once, and the later one when it comes due', async () => {
    await eventually(() => textsIn(h, 'D0OVERDUE'), (texts) => texts.includes(OVERDUE));
    // The later one waits on the queue's clock, which has not moved.
    expect(await h.infra.queue.counts(REMINDERS_QUEUE)).toMatchObject({ delayed: 1 });

    await fake.advance(30 * MINUTE);

    await eventually(() => textsIn(h, 'D0LATER'), (texts) => texts.includes(LATER));
  });

  it('then the daily alert is scheduled again and posted at its next 07:30', async () => {
    await fake.advance(DAY); // a day holds one 07:30 UTC

    await eventually(() => textsIn(h, 'D0ALERT'), (texts) => texts.some((t) => t.startsWith(':sunrise: Your daily weather:')));
  });
});

describeWithRedis('a worker starting on a database whose queue is gone, BullMQ', (redisUrl) => {
  let db: TestDatabase;
  let before: LeftBehind;
  let h: JeevesHarness;

  beforeAll(async () => {
    db = await createTestDatabase();
    before = await leftBehind(db);
    h = await startJeevesHarness({ REDIS_URL: redisUrl }, { database: db });
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
    if (h) await deleteKeys(redisUrl, h.queuePrefix);
  });

  it('then the overdue reminder is posted at once, and Redis holds the later one, delayed until it is due', async () => {
    await eventually(() => textsIn(h, 'D0OVERDUE'), (texts) => texts.includes(OVERDUE));

    const inspector = new Queue(REMINDERS_QUEUE, { connection: { url: redisUrl }, prefix: h.queuePrefix });
    try {
      const delayed = await inspector.getDelayed();
      expect(delayed.map((job) => job.data)).toEqual([{ id: before.laterId }]);
      expect(delayed[0]!.delay).toBeGreaterThan(29 * MINUTE);
    } finally {
      await inspector.close();
    }
  });

  it('then Redis holds the daily alert schedule again: 07:30 in the member zone', async () => {
    const inspector = new Queue(ALERTS_QUEUE, { connection: { url: redisUrl }, prefix: h.queuePrefix });
    try {
      const schedulers = await inspector.getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: `alert:${ada.teamId}:${ada.userId}`, pattern: '30 7 * * *', tz: 'UTC', template: expect.objectContaining({ data: ada }) })]);
    } finally {
      await inspector.close();
    }
  });
});
