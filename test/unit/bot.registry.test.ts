import { defineCommand, type Command } from '../../src/modules/bot';
import { createCommandRegistry } from '../../src/modules/bot/bot.registry';
import { characterCount, matchWords, normaliseText } from '../../src/kernel';

const command = (name: string, match: (text: string) => string | null, overrides: Partial<Command<string>> = {}): Command<string> =>
  defineCommand({ name, usage: name, description: `the ${name} command`, match, handle: async (args) => `${name}:${args}`, ...overrides });

describe('command registry', () => {
  it('when two commands accept the same text, then the one registered first wins', () => {
    const registry = createCommandRegistry([command('first', (t) => t), command('second', (t) => t)]);

    expect(registry.match('anything')?.command.name).toBe('first');
  });

  it('lists commands in registration order, including ones registered later', () => {
    const registry = createCommandRegistry([command('b', () => null)]);
    registry.register(command('a', () => null));

    expect(registry.commands().map((c) => c.name)).toEqual(['b', 'a']);
  });

  it('when no command accepts the text, then match is null', () => {
    const registry = createCommandRegistry([command('never', () => null)]);

    expect(registry.match('hello')).toBeNull();
  });

  it('gives the matched command the args its own match parsed', () => {
    const registry = createCommandRegistry([command('echo', (t) => matchWords(t, 'echo'))]);

    expect(registry.match('ECHO Hello World')?.args).toBe('Hello World');
  });

  it.each([
    ['a duplicate name', command('help', () => null)],
    ['a duplicate name in another case', command('HELP', () => null)],
    ['an empty name', command(' ', () => null)],
    ['a name of two words', command('two words', () => null)],
    ['no usage', command('x', () => null, { usage: '' })],
    ['no description', command('x', () => null, { description: '' })],
    ['a description of two lines', command('x', () => null, { description: 'one\ntwo' })],
  ])('when a command has %s, then registering it fails with BOT.INVALID_COMMAND', (_case, bad) => {
    const registry = createCommandRegistry([command('help', () => null)]);

    expect(() => registry.register(bad)).toThrow(expect.objectContaining({ code: 'BOT.INVALID_COMMAND' }));
  });

  it('the list it hands out cannot change the registry', () => {
    const registry = createCommandRegistry([command('a', () => null)]);
    const list = registry.commands() as Command[];

    expect(() => list.push(command('b', () => null))).toThrow();
    expect(registry.commands()).toHaveLength(1);
  });
});

describe('text helpers', () => {
  it.each([
    ['  weather   in \t Paris \n', 'weather in Paris'],
    ['weather\u00a0in\u2003Paris', 'weather in Paris'],
    ['Zu\u0308rich', 'Z\u00fcrich'],
    ['', ''],
    [' \n\t ', ''],
  ])('normaliseText(%j) is %j', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });

  it.each([
    ['weather in Paris', 'weather in', 'Paris'],
    ['WEATHER IN São Paulo', 'weather in', 'São Paulo'],
    ['weather', 'weather', ''],
    ['weather inverness', 'weather in', null],
    ['weatherman', 'weather', null],
    ['helpme', 'help', null],
    ['location', 'location set', null],
  ])('matchWords(%j, %j) is %j', (text, phrase, expected) => {
    expect(matchWords(text, phrase)).toBe(expected);
  });

  it('counts an emoji or a CJK character as one character', () => {
    expect(characterCount('東京🌧️')).toBe(4); // 東, 京, 🌧 and the variation selector
  });
});
