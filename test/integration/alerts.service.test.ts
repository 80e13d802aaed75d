import { ALERTS_QUEUE, createAlertsService, type AlertsService } from '../../src/modules/alerts';
import type { Clock, MemberRef, NotifierMessage } from '../../src/kernel';
import { createFakeClock, createMemoryQueue, type FakeClock, type JobQueue, type ScheduleSpec } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { idle, silentLogger, waitFor } from '../support/queue-helpers';

/**
 * Daily alerts on real PostgreSQL and the in-process queue (whose cron engine is BullMQ's),
 * on a fake clock: days pass in milliseconds, across the Sunday 2026-10-25 DST change.
 */
const logger = silentLogger();
const ada = { teamId: 'T0ADA', userId: 'U0ADA' };
const bob = { teamId: 'T0ADA', userId: 'U0BOB' };
const HOUR = 3_600_000;

interface ScheduleCall {
  op: 'upsert' | 'remove';
  queue: string;
  id: string;
  spec?: ScheduleSpec;
  job?: { name: string; data: unknown };
}

let db: TestDatabase;
let fake: FakeClock;
let clock: Clock;
let queues: JobQueue[];
let calls: ScheduleCall[];
let sent: Array<NotifierMessage & { at: string }>;
let zones: Record<string, string>;

/** A fresh in-process queue that writes down every schedule change. */
function queue(): JobQueue {
  const inner = createMemoryQueue({ logger, clock: fake });
  queues.push(inner);
  return {
    ...inner,
    upsertSchedule: (name, id, spec, job) => {
      calls.push({ op: 'upsert', queue: name, id, spec, job });
      return inner.upsertSchedule(name, id, spec, job);
    },
    removeSchedule: (name, id) => {
      calls.push({ op: 'remove', queue: name, id });
      return inner.removeSchedule(name, id);
    },
  };
}

function service(on: JobQueue = queue()): AlertsService {
  const alerts = createAlertsService({
    dataSource: db.dataSource,
    queue: on,
    notifier: async (message) => void sent.push({ ...message, at: clock.now().toISOString() }),
    weather: async (ref: MemberRef) => `Sunny for ${ref.userId}`,
    timezones: async (ref) => zones[ref.userId],
    clock,
    logger,
  });
  alerts.start();
  return alerts;
}

/** Moves the clock to an instant, then lets the job that fired there finish. */
async function advanceTo(iso: string, expectSent: number): Promise<void> {
  await fake.advance(Date.parse(iso) - fake.now());
  await waitFor(() => sent.length === expectSent, `${expectSent} alert(s) sent by ${iso}`);
}

/**
 * Waits until every tick the clock has released so far has been run to its end (ticks are
 * jobs on the queue, added when the clock passes them); returns how many completed.
 */
async function ticksRun(): Promise<number> {
  const inner = queues.at(-1)!;
  await waitFor(() => idle(inner, ALERTS_QUEUE), 'every released tick has run');
  const counts = await inner.counts(ALERTS_QUEUE);
  expect(counts).toMatchObject({ delayed: 0, failed: 0 });
  return counts.completed;
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

beforeEach(async () => {
  await db.dataSource.query('TRUNCATE alerts_subscriptions');
  fake = createFakeClock(Date.parse('2026-10-24T00:00:00Z'));
  clock = { now: () => new Date(fake.now()) };
  queues = [];
  calls = [];
  sent = [];
  zones = { [ada.userId]: 'Europe/Paris' };
});

afterEach(async () => {
  await Promise.all(queues.map((q) => q.close(1000)));
});

describe('an alert at 07:30 Europe/Paris across the October DST change', () => {
  it('when enabled, then one cron schedule in the member zone is upserted, and the next alert is 05:30Z', async () => {
    const alerts = service();

    const alert = await alerts.enable(ada, 'D0ADA', '07:30');

    expect(alert).toMatchObject({ localTime: '07:30', timezone: 'Europe/Paris', enabled: true, nextAt: '2026-10-24T05:30:00.000Z' });
    expect(calls).toEqual([
      {
        op: 'upsert',
        queue: ALERTS_QUEUE,
        id: 'alert:T0ADA:U0ADA',
        spec: { pattern: '30 7 * * *', tz: 'Europe/Paris' },
        job: { name: 'send', data: ada },
      },
    ]);
  });

  it('when the days pass, then it is sent at 07:30 local each day: 05:30Z before the change, 06:30Z after', async () => {
    await service().enable(ada, 'D0ADA');

    await advanceTo('2026-10-24T05:30:00Z', 1);
    await advanceTo('2026-10-25T06:30:00Z', 2);
    await advanceTo('2026-10-26T06:30:00Z', 3);
    expect(await ticksRun()).toBe(3);

    expect(sent.map((m) => [m.at, m.key])).toEqual([
      ['2026-10-24T05:30:00.000Z', 'alert:T0ADA:U0ADA:2026-10-24'],
      ['2026-10-25T06:30:00.000Z', 'alert:T0ADA:U0ADA:2026-10-25'],
      ['2026-10-26T06:30:00.000Z', 'alert:T0ADA:U0ADA:2026-10-26'],
    ]);
    expect(sent[0]).toMatchObject({ teamId: 'T0ADA', channel: 'D0ADA', text: ':sunrise: Your daily weather:\nSunny for U0ADA' });
  });

  it('when the Sunday is reached, then nothing is sent at the old UTC instant (05:30Z)', async () => {
    await service().enable(ada, 'D0ADA');
    await advanceTo('2026-10-24T05:30:00Z', 1);

    await fake.advance(Date.parse('2026-10-25T06:29:59Z') - fake.now());

    expect(await ticksRun()).toBe(1);
    expect(sent).toHaveLength(1);
  });
});

describe('sending', () => {
  it('when the same local day ticks twice, then both posts carry one key, so delivery posts once', async () => {
    const alerts = service();
    await alerts.enable(ada, 'D0ADA');
    await fake.advance(Date.parse('2026-10-24T05:30:00Z') - fake.now());
    await waitFor(() => sent.length === 1, 'the tick is sent');

    await alerts.send(ada);
    await fake.advance(HOUR);
    await alerts.send(ada);

    expect(sent.map((m) => m.key)).toEqual(['alert:T0ADA:U0ADA:2026-10-24', 'alert:T0ADA:U0ADA:2026-10-24', 'alert:T0ADA:U0ADA:2026-10-24']);
  });

  it("when the weather can't be had, then the job fails (to be retried) and nothing is posted", async () => {
    const alerts = createAlertsService({
      dataSource: db.dataSource,
      queue: queue(),
      notifier: async (message) => void sent.push({ ...message, at: '' }),
      weather: async () => Promise.reject(Object.assign(new Error('down'), { code: 'WEATHER.UNAVAILABLE' })),
      timezones: async () => 'Europe/Paris',
      clock,
      logger,
    });
    await alerts.enable(ada, 'D0ADA');

    await expect(alerts.send(ada)).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE' });
    expect(sent).toEqual([]);
  });

  it('when the workspace removed Jeeves, then its ticks look nothing up and post nothing, and the schedule stays for a reinstall', async () => {
    let installed = false;
    const looked: string[] = [];
    const alerts = createAlertsService({
      dataSource: db.dataSource,
      queue: queue(),
      notifier: async (message) => void sent.push({ ...message, at: clock.now().toISOString() }),
      weather: async (ref: MemberRef) => {
        looked.push(ref.userId);
        return 'Sunny';
      },
      timezones: async () => 'Europe/Paris',
      answered: async (teamId) => {
        looked.push(`answered? ${teamId}`);
        return installed;
      },
      clock,
      logger,
    });
    await alerts.enable(ada, 'D0ADA');

    expect(await alerts.send(ada)).toBe('skipped');
    expect(sent).toEqual([]);
    expect(looked).toEqual(['answered? T0ADA']);
    expect(calls.filter((c) => c.op === 'remove')).toEqual([]);

    installed = true;
    expect(await alerts.send(ada)).toBe('sent');
    expect(sent.map((m) => m.channel)).toEqual(['D0ADA']);
  });

  it('when a tick comes for a member with no alert on, then nothing is sent and the stray schedule is removed', async () => {
    const alerts = service();

    expect(await alerts.send(bob)).toBe('skipped');

    expect(sent).toEqual([]);
    expect(calls).toEqual([{ op: 'remove', queue: ALERTS_QUEUE, id: 'alert:T0ADA:U0BOB' }]);
  });
});

describe('changing an alert', () => {
  it('when turned off, then the schedule is removed and no alert is sent any more', async () => {
    const alerts = service();
    await alerts.enable(ada, 'D0ADA');

    expect(await alerts.disable(ada)).toBe(true);
    await fake.advance(3 * 24 * HOUR);
    expect(await ticksRun()).toBe(0);

    expect(calls.at(-1)).toEqual({ op: 'remove', queue: ALERTS_QUEUE, id: 'alert:T0ADA:U0ADA' });
    expect(sent).toEqual([]);
    expect(await alerts.get(ada)).toMatchObject({ enabled: false, nextAt: null });
    expect(await alerts.disable(ada)).toBe(false);
  });

  it('when the location changes, then the alert is rescheduled in the new zone and sent at 07:30 there', async () => {
    const alerts = service();
    await alerts.enable(ada, 'D0ADA');
    zones[ada.userId] = 'America/New_York';

    await alerts.onLocationChanged(ada);

    expect(calls.at(-1)).toMatchObject({ op: 'upsert', id: 'alert:T0ADA:U0ADA', spec: { pattern: '30 7 * * *', tz: 'America/New_York' } });
    expect(await alerts.get(ada)).toMatchObject({ timezone: 'America/New_York', nextAt: '2026-10-24T11:30:00.000Z' });
    await advanceTo('2026-10-24T11:30:00Z', 1);
    expect(await ticksRun()).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('when the location changes for a member without an alert, then nothing is scheduled', async () => {
    const alerts = service();

    expect(await alerts.rescheduleFor(bob)).toBeNull();
    await alerts.onLocationChanged(ada);

    expect(calls).toEqual([]);
  });

  it('when turned on again at another time, then the one schedule moves: only the new time is sent', async () => {
    const alerts = service();
    await alerts.enable(ada, 'D0ADA', '07:30');

    const moved = await alerts.enable(ada, 'D0ADA', '18:05');
    await advanceTo('2026-10-24T16:05:00Z', 1);
    expect(await ticksRun()).toBe(1);

    expect(moved.nextAt).toBe('2026-10-24T16:05:00.000Z');
    expect(sent.map((m) => m.at)).toEqual(['2026-10-24T16:05:00.000Z']);
  });

  it('when the member has no known zone, then the alert runs in UTC', async () => {
    const alerts = service();

    const alert = await alerts.enable(bob, 'D0BOB', '7:05');

    expect(alert).toMatchObject({ localTime: '07:05', timezone: 'UTC', nextAt: '2026-10-24T07:05:00.000Z' });
    expect(calls[0]?.spec).toEqual({ pattern: '5 7 * * *', tz: 'UTC' });
  });

  it('when the time is not a time of day, then ALERTS.INVALID_TIME and nothing changes', async () => {
    const alerts = service();

    await expect(alerts.enable(ada, 'D0ADA', '25:00')).rejects.toMatchObject({ code: 'ALERTS.INVALID_TIME', status: 400 });

    expect(await alerts.get(ada)).toBeNull();
    expect(calls).toEqual([]);
  });

  it('when the queue refuses the schedule, then the error surfaces and the subscription is as it was', async () => {
    const alerts = service();
    await alerts.enable(ada, 'D0ADA', '07:30');
    const broken = createAlertsService({
      dataSource: db.dataSource,
      queue: { ...queue(), upsertSchedule: async () => Promise.reject(new Error('redis down')) },
      notifier: async () => undefined,
      weather: async () => '',
      timezones: async () => 'Europe/Paris',
      clock,
      logger,
    });

    await expect(broken.enable(ada, 'D0ADA', '09:00')).rejects.toThrow('redis down');
    await expect(broken.enable(bob, 'D0BOB', '09:00')).rejects.toThrow('redis down');

    expect(await alerts.get(ada)).toMatchObject({ localTime: '07:30', enabled: true });
    expect(await alerts.get(bob)).toBeNull();
  });
});

describe('recovering schedules at start-up', () => {
  it('when the queue lost its schedules, then every enabled alert is scheduled again and sent', async () => {
    const before = service();
    await before.enable(ada, 'D0ADA', '07:30');
    await before.enable(bob, 'D0BOB', '08:00');
    await before.enable({ teamId: 'T0ADA', userId: 'U0OFF' }, 'D0OFF', '08:00');
    await before.disable({ teamId: 'T0ADA', userId: 'U0OFF' });
    await queues[0]!.close(1000);

    const after = service(); // a fresh, empty queue: Redis flushed
    expect(await after.recoverSchedules()).toBe(2);
    await advanceTo('2026-10-24T05:30:00Z', 1);
    await advanceTo('2026-10-24T08:00:00Z', 2);

    expect(sent.map((m) => m.key)).toEqual(['alert:T0ADA:U0ADA:2026-10-24', 'alert:T0ADA:U0BOB:2026-10-24']);
  });
});

describe('the table', () => {
  it('the entity matches the migrated table: TypeORM would change nothing in alerts_subscriptions', async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();

    expect(sql.upQueries.map((q) => q.query).filter((q) => q.includes('alerts_subscriptions'))).toEqual([]);
  });
});
