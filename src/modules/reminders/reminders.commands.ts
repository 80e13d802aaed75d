import { errorCode, formatLocalDateTime } from '../../kernel';
import { defineCommand, type Command } from '../bot';
import { REMINDERS_ERROR_CODES } from './reminders.errors';
import { parseRemind, parseReminders, type RemindArgs, type RemindersArgs } from './reminders.parse';
import type { Reminder, RemindersService } from './reminders.types';

/** At most this many lines in `reminders`: a Slack message, not a report. */
const LIST_LIMIT = 20;

const SHOWN_AS_IS = new Set<string>(Object.values(REMINDERS_ERROR_CODES));

/** Our own errors are written for the member; anything else goes to the bot's error reply. */
function messageOrRethrow(err: unknown): string {
  const code = errorCode(err);
  if (code && SHOWN_AS_IS.has(code) && err instanceof Error) return err.message;
  throw err;
}

function line(reminder: Reminder, zone: string): string {
  return `• \`${reminder.id}\` ${formatLocalDateTime(new Date(reminder.dueAt), zone)}: ${reminder.text}`;
}

export function createRemindCommand(service: RemindersService): Command<RemindArgs> {
  return defineCommand({
    name: 'remind',
    usage: 'remind me to <what> in <N> minutes|hours | at HH:MM',
    description: 'a reminder posted here later, at a time of yours',
    match: parseRemind,
    async handle(args, { user, message }) {
      if (args.kind === 'reply') return args.text;
      const target = { channelId: message.channelId, ...(message.threadTs ? { threadTs: message.threadTs } : {}) };
      try {
        const r = await service.create(user, target, args.what, args.when);
        const at = formatLocalDateTime(new Date(r.dueAt), r.timezone);
        return `OK, I'll remind you to “${r.text}” on ${at} (${r.timezone}). It's reminder \`${r.id}\`: \`reminders cancel ${r.id}\` cancels it.`;
      } catch (err) {
        return messageOrRethrow(err);
      }
    },
  });
}

export function createRemindersCommand(service: RemindersService): Command<RemindersArgs> {
  return defineCommand({
    name: 'reminders',
    usage: 'reminders [cancel <id>]',
    description: 'list your pending reminders, or cancel one',
    match: parseReminders,
    async handle(args, { user }) {
      if (args.kind === 'reply') return args.text;
      try {
        if (args.kind === 'cancel') {
          const cancelled = await service.cancel(user, args.id);
          return `Cancelled reminder \`${cancelled.id}\`: “${cancelled.text}”.`;
        }
        const [pending, zone] = await Promise.all([service.list(user), service.timezoneFor(user)]);
        if (pending.length === 0) return 'You have no pending reminders. Say `remind me to <what> in <N> minutes` to set one.';
        const lines = pending.slice(0, LIST_LIMIT).map((r) => line(r, zone));
        const more = pending.length > LIST_LIMIT ? `\n…and ${pending.length - LIST_LIMIT} more.` : '';
        return `Your reminders (${zone}):\n${lines.join('\n')}${more}`;
      } catch (err) {
        return messageOrRethrow(err);
      }
    },
  });
}

/** The commands this module adds to the bot's registry, in help order. */
export function reminderCommands(service: RemindersService): Command[] {
  return [createRemindCommand(service), createRemindersCommand(service)];
}
