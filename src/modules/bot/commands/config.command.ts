import { USER_SETTINGS, type UsersService } from '../../users';
import { defineCommand } from '../bot.registry';
import { matchWords } from '../../../kernel';
import type { Command } from '../bot.types';

/** A setting `config` lists as changeable (the users module's USER_SETTINGS fit). */
export interface SettingInfo {
  key: string;
  description?: string;
}

type ConfigArgs =
  | { kind: 'show' }
  | { kind: 'get'; key: string }
  | { kind: 'set'; key: string; value: string }
  | { kind: 'unset'; key: string }
  | { kind: 'usage'; usage: string };

export const CONFIG_USAGE = 'Say `config show`, `config get <key>`, `config set <key> <value>` or `config unset <key>`.';

const usage = (line: string): ConfigArgs => ({ kind: 'usage', usage: `Usage: \`${line}\`.` });

/** The value of `config set` is everything after the key, spaces included. */
export function parseConfig(text: string): ConfigArgs | null {
  const rest = matchWords(text, 'config');
  if (rest === null) return null;
  if (matchWords(rest, 'show') === '') return { kind: 'show' };
  const getKey = matchWords(rest, 'get');
  if (getKey !== null) return /^\S+$/u.test(getKey) ? { kind: 'get', key: getKey } : usage('config get <key>');
  const unsetKey = matchWords(rest, 'unset');
  if (unsetKey !== null) return /^\S+$/u.test(unsetKey) ? { kind: 'unset', key: unsetKey } : usage('config unset <key>');
  const assignment = matchWords(rest, 'set');
  if (assignment !== null) {
    const [key, ...value] = assignment.split(' ');
    return key && value.length > 0 ? { kind: 'set', key, value: value.join(' ') } : usage('config set <key> <value>');
  }
  return { kind: 'usage', usage: CONFIG_USAGE };
}

function stored(settings: Readonly<Record<string, string>>, key: string): [string, string] | undefined {
  return Object.entries(settings).find(([name]) => name.toLowerCase() === key.toLowerCase());
}

function knownKeys(settings: readonly SettingInfo[]): string {
  if (settings.length === 0) return '';
  const lines = settings.map(({ key, description }) => `• \`${key}\`${description ? `: ${description}` : ''}`);
  return `\nSettings you can change:\n${lines.join('\n')}`;
}

export function createConfigCommand({ users, settings = USER_SETTINGS }: { users: UsersService; settings?: readonly SettingInfo[] }): Command<ConfigArgs> {
  return defineCommand({
    name: 'config',
    usage: 'config show | get <key> | set <key> <value> | unset <key>',
    description: 'show or change your settings',
    match: parseConfig,
    async handle(args, { user }) {
      switch (args.kind) {
        case 'usage':
          return `${args.usage}${knownKeys(settings)}`;
        case 'show': {
          const current = Object.entries(await users.listSettings(user));
          const lines = current.map(([key, value]) => `• \`${key}\`: ${value}`);
          const mine = lines.length > 0 ? `Your settings:\n${lines.join('\n')}` : "You haven't changed any settings.";
          return `${mine}${knownKeys(settings)}`;
        }
        case 'get': {
          const value = await users.getSetting(user, args.key);
          return value === null ? `\`${args.key}\` is not set.` : `\`${args.key}\` is ${value}.`;
        }
        case 'set': {
          const after = await users.setSetting(user, args.key, args.value);
          // Show the setting as stored: the users module may tidy key and value ("Units" → units).
          const [key, value] = stored(after.settings, args.key) ?? [args.key, args.value];
          return `Done: \`${key}\` is now ${value}.`;
        }
        case 'unset':
          return (await users.unsetSetting(user, args.key)) ? `Done: \`${args.key}\` is no longer set.` : `\`${args.key}\` was not set.`;
      }
    },
  });
}
