import { alertCommands, createAlertsService, rescheduleAlertsOnLocationChange, type AlertsService } from '../../src/modules/alerts';
import { createBot, type Bot } from '../../src/modules/bot';
import { createTimezoneLookup } from '../../src/modules/reminders';
import { createFakeUsersService } from '../../src/modules/users';
import { createFakeWeatherService } from '../../src/modules/weather';
import { createFakeClock, createMemoryQueue, type JobQueue, type ScheduleSpec } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { silentLogger } from '../support/queue-helpers';

/**
 * The alerts command as a member meets it, through the bot, with the users service wrapped
 * the way the composition root wraps it: `location set` moves the alert to the new zone.
 */
const logger = silentLogger();

let db: TestDatabase;
let queue: JobQueue;
let schedules: Array<{ id: string; spec: ScheduleSpec } | { removed: string }>;
let slackZone: string | undefined;
let alerts: AlertsService;
let bot: Bot;

const say = (text: string) => bot.handle({ teamId: 'T0ADA', userId: 'U0ADA', channelId: 'D0ADA', text });

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

beforeEach(async () => {
  await db.dataSource.query('TRUNCATE alerts_subscriptions');
  const fake = createFakeClock(Date.parse('2026-11-20T10:00:00Z')); // Friday, 11:00 in Paris
  const inner = createMemoryQueue({ logger, clock: fake });
  schedules = [];
  slackZone = undefined;
  queue = {
    ...inner,
    upsertSchedule: (name, id, spec, job) => (schedules.push({ id, spec }), inner.upsertSchedule(name, id, spec, job)),
    removeSchedule: (name, id) => (schedules.push({ removed: id }), inner.removeSchedule(name, id)),
  };
  const users = createFakeUsersService();
  alerts = createAlertsService({
    dataSource: db.dataSource,
    queue,
    notifier: async () => undefined,
    weather: async () => 'Sunny',
    timezones: createTimezoneLookup({ users, slackTimezone: async () => slackZone, logger }),
    clock: { now: () => new Date(fake.now()) },
    logger,
  });
  const wrapped = rescheduleAlertsOnLocationChange(users, alerts, logger);
  bot = createBot({ users: wrapped, weather: createFakeWeatherService(), logger, commands: alertCommands(alerts) });
});

afterEach(async () => {
  await queue.close(1000);
});

it('when "alerts on" with a saved location, then 07:30 in its zone, with the next one in the reply', async () => {
  await say('location set Paris');

  expect(await say('alerts on')).toBe('Daily weather alert set for 07:30 Europe/Paris; next one Sat 21 Nov 07:30.');
  expect(schedules).toEqual([{ id: 'alert:T0ADA:U0ADA', spec: { pattern: '30 7 * * *', tz: 'Europe/Paris' } }]);
});

it('when "alerts on at 18:05", then today 18:05, still ahead', async () => {
  await say('location set Paris');

  expect(await say('alerts on at 18:05')).toBe('Daily weather alert set for 18:05 Europe/Paris; next one Fri 20 Nov 18:05.');
});

it('when "alerts on at 25:00", then a clear message and nothing scheduled', async () => {
  expect(await say('alerts on at 25:00')).toBe("“25:00” isn't a time of day: use 24-hour HH:MM, like 07:30 or 18:05.");
  expect(schedules).toEqual([]);
});

it("when there is no saved location, then it is scheduled in Slack's zone and the reply says how to set one", async () => {
  slackZone = 'America/New_York';

  const reply = await say('alerts on');

  expect(reply).toContain('Daily weather alert set for 07:30 America/New_York');
  expect(reply).toContain('Say `location set &lt;place&gt;`');
});

it('when the member then sets a location, then the alert moves to its zone', async () => {
  slackZone = 'America/New_York';
  await say('alerts on');

  await say('location set London');

  expect(schedules.at(-1)).toEqual({ id: 'alert:T0ADA:U0ADA', spec: { pattern: '30 7 * * *', tz: 'Europe/London' } });
  expect(await say('alerts')).toBe('Your daily weather alert is on at 07:30 Europe/London; next one Sat 21 Nov 07:30. Say `alerts off` to stop it.');
});

it('when "alerts off", then the schedule is removed, and saying it again is harmless', async () => {
  await say('alerts on');

  expect(await say('alerts off')).toBe('Daily weather alert turned off.');
  expect(schedules.at(-1)).toEqual({ removed: 'alert:T0ADA:U0ADA' });
  expect(await say('alerts off')).toBe('Your daily weather alert was already off.');
  expect(await say('alerts')).toContain('Your daily weather alert is off.');
});

it('when asking for help, then alerts is listed', async () => {
  expect(await say('help')).toContain('alerts on [at HH:MM] | alerts off');
});
