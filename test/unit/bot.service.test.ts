import pino from 'pino';
import { createBot, defineCommand, type Command } from '../../src/modules/bot';
import type { BotDependencies } from '../../src/modules/bot/bot.service';
import type { BotMessage } from '../../src/modules/bot/bot.types';
import { matchWords } from '../../src/kernel';
import { createFakeUsersService, type UserLocation, type UserRef } from '../../src/modules/users';
import { createFakeWeatherService, type FakePlace } from '../../src/modules/weather';
import { AppError } from '../../src/platform/errors';

const PARIS: FakePlace = {
  name: 'Paris',
  country: 'France',
  admin1: 'Île-de-France',
  latitude: 48.85341,
  longitude: 2.3488,
  timezone: 'Europe/Paris',
  weather: { temperatureC: 9.4, apparentTemperatureC: 6.8, humidityPct: 81, windSpeedKmh: 14, weatherCode: 3 },
};
const SAVED_PARIS: UserLocation = { name: 'Paris, France', latitude: 48.85341, longitude: 2.3488, timezone: 'Europe/Paris' };
const ME: UserRef = { teamId: 'T0001', userId: 'U0001' };
const message = (text: string, extra: Partial<BotMessage> = {}): BotMessage => ({ ...ME, channelId: 'C1', text, ...extra });

/** A logger whose lines the test can read. */
function capturedLogger() {
  const lines: Array<{ level: number; module?: string; msg?: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines, errors: () => lines.filter((line) => line.level >= 50) };
}

function setup(overrides: Partial<BotDependencies> = {}) {
  const users = createFakeUsersService();
  const weather = createFakeWeatherService({ places: [PARIS] });
  const log = capturedLogger();
  const bot = createBot({ users, weather, logger: log.logger, ...overrides });
  return { bot, users, weather, log };
}

const ping: Command<string> = defineCommand({
  name: 'ping',
  usage: 'ping [<anything>]',
  description: 'answers pong',
  match: (text) => matchWords(text, 'ping'),
  handle: async (rest, ctx) => `pong ${rest} for ${ctx.user.userId} in ${ctx.message.channelId}, known as ${ctx.profile.displayName}`,
});

describe('help', () => {
  it('lists every registered command with its usage and description, in order, including ones from outside', async () => {
    const { bot } = setup({ commands: [ping] });
    bot.register(defineCommand({ name: 'alerts', usage: 'alerts on [at HH:MM] | off', description: 'a daily weather message', match: () => null, handle: async () => '' }));

    const reply = await bot.handle(message('help'));

    const listed = reply.split('\n').filter((line) => line.startsWith('• '));
    expect(listed).toEqual(bot.commands().map((c) => `• \`${c.usage.replace(/</g, '&lt;').replace(/>/g, '&gt;')}\`: ${c.description}`));
    expect(bot.commands().map((c) => c.name)).toEqual(['help', 'weather', 'location', 'config', 'ping', 'alerts']);
  });
});

describe('commands registered from outside', () => {
  it('answer their text, with the member, their profile and the message', async () => {
    const { bot } = setup({ commands: [ping] });

    await expect(bot.handle(message('PING hello', { displayName: 'Bertie' }))).resolves.toBe('pong hello for U0001 in C1, known as Bertie');
  });

  it('cannot take the name of a built-in command', () => {
    expect(() => setup({ commands: [{ ...ping, name: 'weather' }] })).toThrow(expect.objectContaining({ code: 'BOT.INVALID_COMMAND' }));
  });
});

describe('every member who talks exists', () => {
  it.each(['help', 'gibberish', ''])('when %j is said, then the member is created with their display name', async (text) => {
    const { bot, users } = setup();

    await bot.handle(message(text, { displayName: 'Bertie' }));

    await expect(users.get(ME)).resolves.toMatchObject({ ...ME, displayName: 'Bertie' });
  });

  it('greets by the name the member chose over their Slack name', async () => {
    const { bot, users } = setup();
    await users.getOrCreate(ME);
    await users.setSetting(ME, 'name', 'Mr Wooster');

    await expect(bot.handle(message('', { displayName: 'bertie' }))).resolves.toMatch(/^Hello Mr Wooster!/);
  });
});

describe('weather', () => {
  it('when no place is given, then it reports at the saved location', async () => {
    const { bot, users, weather } = setup();
    await users.getOrCreate(ME);
    await users.setLocation(ME, SAVED_PARIS);
    const current = jest.spyOn(weather, 'current');

    const reply = await bot.handle(message('weather'));

    expect(reply).toBe('*Paris, France*: overcast, 9.4°C (feels like 6.8°C), humidity 81%, wind 14 km/h');
    expect(current).toHaveBeenCalledWith(expect.objectContaining({ latitude: 48.85341, longitude: 2.3488, timezone: 'Europe/Paris' }));
  });

  it('when no place is given and none is saved, then it says how to save one', async () => {
    const { bot } = setup();

    await expect(bot.handle(message('weather'))).resolves.toContain('`location set &lt;place&gt;`');
  });

  it('when the member prefers imperial units, then it answers in °F and mph', async () => {
    const { bot, users } = setup();
    await users.getOrCreate(ME);
    await users.setSetting(ME, 'units', 'imperial');

    await expect(bot.handle(message('weather in Paris'))).resolves.toBe(
      '*Paris, France*: overcast, 48.9°F (feels like 44.2°F), humidity 81%, wind 9 mph',
    );
  });

  it('never shows minus zero', async () => {
    const { bot, weather } = setup();
    weather.setPlace({ ...PARIS, weather: { ...PARIS.weather, temperatureC: -0.04, apparentTemperatureC: -0.3 } });

    await expect(bot.handle(message('weather Paris'))).resolves.toContain('0.0°C (feels like -0.3°C)');
  });
});

describe('location', () => {
  it('location set saves the geocoded place, which weather then uses', async () => {
    const { bot, users } = setup();

    const reply = await bot.handle(message('location set paris'));

    expect(reply).toBe('Saved: your location is now *Paris, France* (Europe/Paris).');
    expect((await users.get(ME)).location).toEqual(SAVED_PARIS);
    await expect(bot.handle(message('weather'))).resolves.toMatch(/^\*Paris, France\*: overcast/);
  });

  it('location shows the saved place', async () => {
    const { bot, users } = setup();
    await users.getOrCreate(ME);
    await users.setLocation(ME, SAVED_PARIS);

    await expect(bot.handle(message('location'))).resolves.toBe('Your location is *Paris, France* (Europe/Paris).');
  });

  it('when the place is unknown, then it says so and saves nothing', async () => {
    const { bot, users } = setup();

    await expect(bot.handle(message('location set Atlantis'))).resolves.toBe('I couldn\'t find a place called “Atlantis”.');
    expect((await users.get(ME)).location).toBeNull();
  });
});

describe('config', () => {
  it('set, get, show and unset go through the member’s settings', async () => {
    const { bot, users } = setup();

    await expect(bot.handle(message('config set units imperial'))).resolves.toBe('Done: `units` is now imperial.');
    await expect(bot.handle(message('config get units'))).resolves.toBe('`units` is imperial.');
    await expect(bot.handle(message('config show'))).resolves.toMatch(/^Your settings:\n• `units`: imperial\nSettings you can change:\n• `units`: /);
    await expect(bot.handle(message('config unset units'))).resolves.toBe('Done: `units` is no longer set.');
    await expect(users.listSettings(ME)).resolves.toEqual({});
    await expect(bot.handle(message('config unset units'))).resolves.toBe('`units` was not set.');
  });

  it('lists the settings it was given as the ones one can change', async () => {
    const { bot } = setup({ settings: [{ key: 'units', description: 'metric or imperial' }] });

    await expect(bot.handle(message('config show'))).resolves.toBe(
      "You haven't changed any settings.\nSettings you can change:\n• `units`: metric or imperial",
    );
  });
});

describe('errors become replies a member can act on', () => {
  it.each([
    ['weather in Atlantis', 'I couldn\'t find a place called “Atlantis”.'],
    ['config set colour blue', 'There is no setting called "colour". Known settings: units, timezone, name.'],
    [`config set name ${'x'.repeat(1500)}`, "I can't accept that: "],
    ['config set units furlongs', 'That is not a valid units: expected metric or imperial.'],
  ])('%j → %j, and nothing is logged at error', async (text, expected) => {
    const { bot, log } = setup();

    await expect(bot.handle(message(text))).resolves.toContain(expected);
    expect(log.errors()).toEqual([]);
  });

  it.each(['weather in Paris', 'weather', 'location set Paris'])('when the weather service is down, %j says so', async (text) => {
    const { bot, users, weather } = setup();
    await users.getOrCreate(ME);
    await users.setLocation(ME, SAVED_PARIS);
    weather.setUnavailable(true);

    await expect(bot.handle(message(text))).resolves.toBe('The weather service cannot be reached right now. Try again in a minute.');
  });

  it('when something unexpected fails, then the member gets an apology and it is logged at error', async () => {
    const users = createFakeUsersService();
    const { bot, log } = setup({ users: { ...users, getOrCreate: () => Promise.reject(new Error('connection refused')) } });

    await expect(bot.handle(message('weather'))).resolves.toBe('Sorry, something went wrong on my side. Please try again in a moment.');
    expect(log.errors()).toEqual([expect.objectContaining({ module: 'bot', msg: 'command failed' })]);
  });

  it('user text in a reply cannot become Slack markup', async () => {
    const { bot } = setup();

    const reply = await bot.handle(message('location set <!channel> & <@U2>'));

    expect(reply).toBe("I couldn't find a place called “&lt;!channel&gt; &amp; &lt;@U2&gt;”.");
  });
});

describe('handle never throws', () => {
  const broken = (handle: () => Promise<string>, match: () => unknown = () => true): Command<unknown> =>
    defineCommand({ name: 'broken', usage: 'broken', description: 'fails', match, handle });

  it.each<[string, Partial<BotDependencies>, string]>([
    ['a command that throws a string', { commands: [broken(() => Promise.reject('boom'))] }, 'broken'],
    ['a command that throws null', { commands: [broken(() => Promise.reject(null))] }, 'broken'],
    ['a command that throws synchronously', { commands: [broken(() => { throw new Error('sync'); })] }, 'broken'],
    ['a command whose match throws', { commands: [broken(async () => 'ok', () => { throw new Error('bad regex'); })] }, 'broken'],
    // Deliberately wrong at run time, as plain-JS callers may be.
    ['a command that answers undefined', { commands: [broken(async () => undefined as unknown as string)] }, 'broken'],
    ['a users service that fails', { users: { ...createFakeUsersService(), getOrCreate: () => Promise.reject(new AppError('USERS.UNAVAILABLE', 'down', 503)) } }, 'help'],
  ])('with %s', async (_case, overrides, text) => {
    const { bot } = setup(overrides);

    await expect(bot.handle(message(text))).resolves.toBe('Sorry, something went wrong on my side. Please try again in a moment.');
  });

  it('when the message has no text at all, then it greets', async () => {
    const { bot } = setup();
    // Deliberately wrong at run time: a payload without text must not crash the bot.
    const bad = { ...ME, channelId: 'C1' } as unknown as BotMessage;

    await expect(bot.handle(bad)).resolves.toMatch(/^Hello/);
  });

  it('with arbitrary input it always answers with some text', async () => {
    const { bot } = setup();
    const alphabet = ['weather', 'in', 'location', 'set', 'config', 'get', 'unset', 'help', ' ', '\n', 'é', '\u0301', '東', '🌧️', '<', '&', '\ud800', 'x'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length;

    for (let i = 0; i < 300; i += 1) {
      const text = Array.from({ length: 1 + (i % 12) }, () => alphabet[next()]).join(i % 2 ? ' ' : '');
      const reply = await bot.handle(message(text));
      expect(typeof reply === 'string' && reply.length > 0).toBe(true);
    }
  });
});
