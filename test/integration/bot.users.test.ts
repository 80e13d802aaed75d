import { randomBytes } from 'node:crypto';
import { createBot, type Bot } from '../../src/modules/bot';
import type { UserRef } from '../../src/modules/users';
import { createFakeWeatherService } from '../../src/modules/weather';
import { createLogger } from '../../src/platform/logger';
import { usersInProcess, usersOverHttp, type UsersSubject } from '../support/users-stacks';

/**
 * The bot over the real users module on PostgreSQL, in-process and through its HTTP
 * adapter: what members save persists, and the users module's errors reach them as words
 * whichever side of the wire answered (codes, not classes).
 */
const logger = createLogger({ level: 'silent' });

type Subject = UsersSubject;

const implementations: Array<[string, () => Promise<Subject>]> = [
  ['in-process on PostgreSQL', usersInProcess],
  ['through the users HTTP adapter', usersOverHttp],
];

const slackId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;

describe.each(implementations)('bot with the users module %s', (_name, start) => {
  let subject: Subject;
  let bot: Bot;
  let me: UserRef;
  const say = (text: string) => bot.handle({ ...me, channelId: 'C0001', text, displayName: 'Bertie' });

  beforeAll(async () => {
    subject = await start();
    bot = createBot({ users: subject.users, weather: createFakeWeatherService(), logger });
  });
  afterAll(async () => {
    await subject?.close();
  });
  beforeEach(() => {
    me = { teamId: slackId('T'), userId: slackId('U') };
  });

  it('when a new member says anything, then they are stored with their display name', async () => {
    await say('gibberish');

    await expect(subject.users.get(me)).resolves.toMatchObject({ ...me, displayName: 'Bertie', location: null });
  });

  it('location set stores the place, and weather then reports there', async () => {
    await expect(say('location set paris')).resolves.toBe('Saved: your location is now *Paris, France* (Europe/Paris).');

    expect((await subject.users.get(me)).location).toEqual({ name: 'Paris, France', latitude: 48.85341, longitude: 2.3488, timezone: 'Europe/Paris' });
    await expect(say('weather')).resolves.toMatch(/^\*Paris, France\*: partly cloudy, 12\.0°C/);
  });

  it('config set stores the value as the users module tidies it, and weather honours it', async () => {
    await expect(say('config set Units IMPERIAL')).resolves.toBe('Done: `units` is now imperial.');

    await expect(subject.users.getSetting(me, 'units')).resolves.toBe('imperial');
    await expect(say('weather London')).resolves.toContain('53.6°F');
  });

  it.each([
    ['config set colour blue', 'There is no setting called "colour". Known settings: units, timezone, name.'],
    ['config set units furlongs', 'That is not a valid units: expected metric or imperial.'],
    ['config get colour', 'There is no setting called "colour". Known settings: units, timezone, name.'],
  ])('%j answers with the users module’s own words', async (text, expected) => {
    await expect(say(text)).resolves.toBe(expected);
  });
});
