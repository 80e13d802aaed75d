import { createBot, type Bot } from '../../src/modules/bot';
import { createRemindersService, createTimezoneLookup, reminderCommands } from '../../src/modules/reminders';
import { type NotifierMessage } from '../../src/kernel';
import { createFakeUsersService } from '../../src/modules/users';
import { createFakeWeatherService } from '../../src/modules/weather';
import { createFakeClock, createMemoryQueue, type FakeClock, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { silentLogger, waitFor } from '../support/queue-helpers';

/** The reminder commands as a member meets them: through the bot, on real PostgreSQL. */
const logger = silentLogger();
const START = Date.parse('2026-11-20T10:00:00Z'); // Friday, 11:00 in Paris

let db: TestDatabase;
let fake: FakeClock;
let queue: JobQueue;
let sent: NotifierMessage[];
let bot: Bot;

const say = (text: string, userId = 'U0ADA', channelId = 'D0ADA') => bot.handle({ teamId: 'T0ADA', userId, channelId, text });

/** The id a confirmation gave: "It's reminder `12`". */
const idIn = (reply: string): string => /reminder `(\d+)`/u.exec(reply)?.[1] ?? 'none';

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

beforeEach(async () => {
  await db.dataSource.query('TRUNCATE reminders_reminders');
  fake = createFakeClock(START);
  queue = createMemoryQueue({ logger, clock: fake });
  sent = [];
  const users = createFakeUsersService();
  const reminders = createRemindersService({
    dataSource: db.dataSource,
    queue,
    notifier: async (message) => void sent.push(message),
    timezones: createTimezoneLookup({ users, logger }),
    clock: { now: () => new Date(fake.now()) },
    logger,
  });
  reminders.start();
  bot = createBot({ users, weather: createFakeWeatherService(), logger, commands: reminderCommands(reminders) });
});

afterEach(async () => {
  await queue.close(1000);
});

describe('remind me to ...', () => {
  it.each([
    ['remind me to stretch in 5 minutes', '“stretch” on Fri 20 Nov 10:05 (UTC)'],
    ['remind me to stretch in 1 hour', '“stretch” on Fri 20 Nov 11:00 (UTC)'],
    ['remind me to stretch in 90 min', '“stretch” on Fri 20 Nov 11:30 (UTC)'],
    ['remind me to stretch at 7:05', '“stretch” on Sat 21 Nov 07:05 (UTC)'],
    ['remind me to stretch at 25:00', "“25:00” isn't a time of day: use 24-hour HH:MM"],
    ['remind me to in 5 minutes', 'What should I remind you about?'],
    ['remind me to stretch in 0 minutes', 'I can remind you in 1 minute to 30 days.'],
    ['remind me to stretch in 31 days', 'I can remind you in 1 minute to 30 days.'],
    ['remind me to stretch', 'Say `remind me to &lt;what&gt; in &lt;N&gt; minutes`'],
  ])('when "%s", then the reply says %j', async (text, reply) => {
    expect(await say(text)).toContain(reply);
  });

  it('when the text is over 500 characters, then the reply says to keep it shorter', async () => {
    expect(await say(`remind me to ${'x'.repeat(501)} in 5 minutes`)).toContain('please keep it to 500 characters');
  });

  it("when the member saved a location, then HH:MM is that place's time", async () => {
    await say('location set Paris');

    expect(await say('remind me to stretch at 7:05')).toContain('on Sat 21 Nov 07:05 (Europe/Paris)');
  });

  it('when a reminder in 1 minute comes due, then it is posted once where it was asked for', async () => {
    const id = idIn(await say('remind me to stretch in 1 minute', 'U0ADA', 'C0GEN'));

    await fake.advance(60_000);
    await waitFor(() => sent.length === 1, 'the reminder is posted');

    expect(sent).toEqual([expect.objectContaining({ channel: 'C0GEN', key: `reminder:${id}`, text: expect.stringContaining('stretch') })]);
  });
});

describe('reminders', () => {
  it('when listing, then each pending reminder shows its id and local due time', async () => {
    await say('location set Paris');
    const id = idIn(await say('remind me to stretch in 5 minutes'));

    expect(await say('reminders')).toBe(`Your reminders (Europe/Paris):\n• \`${id}\` Fri 20 Nov 11:05: stretch`);
  });

  it('when there are none, then it says how to set one', async () => {
    expect(await say('reminders')).toContain('You have no pending reminders.');
  });

  it('when cancelling one of yours, then it is cancelled and never posted', async () => {
    const id = idIn(await say('remind me to stretch in 1 minute'));

    expect(await say(`reminders cancel ${id}`)).toBe(`Cancelled reminder \`${id}\`: “stretch”.`);
    await fake.advance(120_000);
    expect(await say('reminders')).toContain('no pending reminders');
    expect(sent).toEqual([]);
  });

  it('when cancelling an unknown id, then a clear "can\'t find"', async () => {
    expect(await say('reminders cancel 999999')).toBe("I can't find a reminder `999999` of yours. Say `reminders` to see them.");
  });

  it("when cancelling someone else's id, then the same \"can't find\", and theirs still stands", async () => {
    const bobs = idIn(await say('remind me to feed the cat in 5 minutes', 'U0BOB', 'D0BOB'));

    expect(await say(`reminders cancel ${bobs}`)).toBe(`I can't find a reminder \`${bobs}\` of yours. Say \`reminders\` to see them.`);
    expect(await say('reminders', 'U0BOB')).toContain('feed the cat');
  });

  it('when "reminders cancel" has no id, then the usage', async () => {
    expect(await say('reminders cancel')).toContain('`reminders cancel &lt;id&gt;`');
  });

  it('when asking for help, then both commands are listed', async () => {
    const help = await say('help');

    expect(help).toContain('remind me to &lt;what&gt;');
    expect(help).toContain('reminders [cancel &lt;id&gt;]');
  });
});
