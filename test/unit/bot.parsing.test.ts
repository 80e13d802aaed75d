import pino from 'pino';
import { createBot } from '../../src/modules/bot';
import { createFakeUsersService, type UsersService } from '../../src/modules/users';
import { createFakeWeatherService, type FakePlace } from '../../src/modules/weather';

/**
 * How the bot reads what members type: which service call each text leads to (with the
 * arguments as parsed) and what the reply says. String arguments only: refs and places are
 * checked in bot.service.test.ts.
 */

const place = (name: string, country: string, latitude: number, longitude: number, timezone: string): FakePlace => ({
  name,
  country,
  admin1: null,
  latitude,
  longitude,
  timezone,
});

const PLACES = [
  place('Paris', 'France', 48.85341, 2.3488, 'Europe/Paris'),
  place('New York', 'United States', 40.71427, -74.00597, 'America/New_York'),
  place('São Paulo', 'Brazil', -23.5475, -46.63611, 'America/Sao_Paulo'),
  place('Zürich', 'Switzerland', 47.36667, 8.55, 'Europe/Zurich'),
  place('東京', 'Japan', 35.6895, 139.69171, 'Asia/Tokyo'),
  place('Inverness', 'United Kingdom', 57.47908, -4.22398, 'Europe/London'),
];

const ME = { teamId: 'T0001', userId: 'U0001' };

/** A member with Paris saved and metric units, as most rows expect. */
async function createMember(): Promise<UsersService> {
  const users = createFakeUsersService();
  await users.getOrCreate(ME, { displayName: 'Bertie' });
  await users.setLocation(ME, { name: 'Paris, France', latitude: 48.85341, longitude: 2.3488, timezone: 'Europe/Paris' });
  await users.setSetting(ME, 'units', 'metric');
  return users;
}

/** Wraps a service so every call is written down as `users.setSetting("units", "imperial")`. */
function recorded<T extends object>(label: string, service: T, calls: string[]): T {
  return new Proxy(service, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const shown = args.filter((arg) => typeof arg === 'string').map((arg) => JSON.stringify(arg));
        calls.push(`${label}.${String(property)}(${shown.join(', ')})`);
        return Reflect.apply(value, target, args);
      };
    },
  });
}

async function say(text: string) {
  const calls: string[] = [];
  const bot = createBot({
    users: recorded('users', await createMember(), calls),
    weather: recorded('weather', createFakeWeatherService({ places: PLACES }), calls),
    logger: pino({ level: 'silent' }),
  });
  const reply = await bot.handle({ ...ME, channelId: 'C1', text });
  return { reply, calls: calls.filter((call) => call !== 'users.getOrCreate()') };
}

const DONT_UNDERSTAND = "I don't understand";
const HELP = "Here's what I can do";
const LONGEST = `weather ${'x'.repeat(1992)}`;

interface Row {
  text: string;
  calls: string[];
  reply: string;
}

const rows: Row[] = [
  // weather: casing, spacing, unicode
  { text: 'weather in Paris', calls: ['weather.currentFor("Paris")'], reply: '*Paris, France*: partly cloudy' },
  { text: 'WEATHER in paris', calls: ['weather.currentFor("paris")'], reply: '*Paris, France*' },
  { text: 'Weather IN Paris', calls: ['weather.currentFor("Paris")'], reply: '*Paris, France*' },
  { text: '   weather    in   Paris   ', calls: ['weather.currentFor("Paris")'], reply: '*Paris, France*' },
  { text: 'weather\tin\nNew \u00a0 York', calls: ['weather.currentFor("New York")'], reply: '*New York, United States*' },
  { text: 'weather São Paulo', calls: ['weather.currentFor("São Paulo")'], reply: '*São Paulo, Brazil*' },
  { text: 'weather in Zu\u0308rich', calls: ['weather.currentFor("Zürich")'], reply: '*Zürich, Switzerland*' },
  { text: 'weather 東京', calls: ['weather.currentFor("東京")'], reply: '*東京, Japan*' },
  { text: 'weather 🌧️', calls: ['weather.currentFor("🌧️")'], reply: "I couldn't find a place called “🌧️”." },
  // a place that starts with "in" is a place, not "in <place>"
  { text: 'weather inverness', calls: ['weather.currentFor("inverness")'], reply: '*Inverness, United Kingdom*' },
  { text: 'weather Inverness', calls: ['weather.currentFor("Inverness")'], reply: '*Inverness, United Kingdom*' },
  { text: 'weather in Inverness', calls: ['weather.currentFor("Inverness")'], reply: '*Inverness, United Kingdom*' },
  { text: 'weather', calls: ['weather.current()'], reply: '*Paris, France*' },
  { text: 'WEATHER', calls: ['weather.current()'], reply: '*Paris, France*' },
  { text: 'weather in', calls: [], reply: 'Which place? Say `weather in &lt;place&gt;`' },
  { text: 'weather   in   ', calls: [], reply: 'Which place?' },
  { text: 'weatherman', calls: [], reply: DONT_UNDERSTAND },
  // location
  { text: 'location', calls: [], reply: 'Your location is *Paris, France* (Europe/Paris).' },
  { text: 'location set Paris', calls: ['weather.geocode("Paris")', 'users.setLocation()'], reply: '*Paris, France*' },
  { text: 'LOCATION SET  São Paulo ', calls: ['weather.geocode("São Paulo")', 'users.setLocation()'], reply: '*São Paulo, Brazil*' },
  { text: 'location set', calls: [], reply: '`location set &lt;place&gt;`' },
  { text: 'location set    ', calls: [], reply: '`location set &lt;place&gt;`' },
  { text: 'location settle Paris', calls: [], reply: '`location set &lt;place&gt;`' },
  // config
  { text: 'config', calls: [], reply: 'Say `config show`, `config get &lt;key&gt;`' },
  { text: 'config show', calls: ['users.listSettings()'], reply: '• `units`: metric' },
  { text: 'CONFIG GET units', calls: ['users.getSetting("units")'], reply: '`units` is metric.' },
  { text: 'config get', calls: [], reply: 'Usage: `config get &lt;key&gt;`.' },
  { text: 'config set units imperial', calls: ['users.setSetting("units", "imperial")'], reply: '`units` is now imperial' },
  { text: 'config set name  Reginald   Jeeves III ', calls: ['users.setSetting("name", "Reginald Jeeves III")'], reply: 'Reginald Jeeves III' },
  { text: 'Config Set Units Imperial', calls: ['users.setSetting("Units", "Imperial")'], reply: 'Done: `units` is now imperial.' },
  { text: 'config set units', calls: [], reply: 'Usage: `config set &lt;key&gt; &lt;value&gt;`.' },
  { text: 'config set', calls: [], reply: 'Usage: `config set &lt;key&gt; &lt;value&gt;`.' },
  { text: 'config unset units', calls: ['users.unsetSetting("units")'], reply: '`units` is no longer set' },
  { text: 'config unset', calls: [], reply: 'Usage: `config unset &lt;key&gt;`.' },
  { text: 'config frobnicate', calls: [], reply: 'Say `config show`' },
  // help
  { text: 'help', calls: [], reply: HELP },
  { text: 'HELP', calls: [], reply: HELP },
  { text: '  Help  ', calls: [], reply: HELP },
  { text: 'help weather', calls: [], reply: '• `weather [in] [&lt;place&gt;]`: current conditions' },
  { text: 'helpme', calls: [], reply: DONT_UNDERSTAND },
  // empty, nonsense, long
  { text: '', calls: [], reply: "I'm Jeeves. Say `help`" },
  { text: ' \n\t ', calls: [], reply: 'Say `help`' },
  { text: '🙂', calls: [], reply: DONT_UNDERSTAND },
  { text: 'what is the weather', calls: [], reply: DONT_UNDERSTAND },
  { text: 'x'.repeat(2001), calls: [], reply: 'too long' },
  { text: `help${' '.repeat(5000)}`, calls: [], reply: HELP },
  { text: '🙂'.repeat(2000), calls: [], reply: DONT_UNDERSTAND },
  { text: '🙂'.repeat(2001), calls: [], reply: 'too long' },
  { text: LONGEST, calls: [], reply: 'That place name is too long' },
  { text: `location set ${'x'.repeat(101)}`, calls: [], reply: 'That place name is too long' },
  { text: `location set ${'x'.repeat(100)}`, calls: [`weather.geocode("${'x'.repeat(100)}")`], reply: "I couldn't find a place called" },
];

const short = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 20)}…(${text.length} chars)` : text);

describe('reading what members type', () => {
  test.each(rows.map((row) => [short(row.text), row] as const))('%s', async (_title, { text, calls, reply }) => {
    const answer = await say(text);

    expect(answer.calls).toEqual(calls);
    expect(answer.reply).toContain(reply);
  });

  it('when a message is too long, then it is refused before anything is looked up or created', async () => {
    const calls: string[] = [];
    const bot = createBot({ users: recorded('users', await createMember(), calls), weather: createFakeWeatherService(), logger: pino({ level: 'silent' }) });

    await bot.handle({ ...ME, channelId: 'C1', text: `weather ${'x'.repeat(3000)}` });

    expect(calls).toEqual([]);
  });
});
