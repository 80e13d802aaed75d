import { matchWords, parseLocalTime } from '../../kernel';
import { EMPTY_TEXT, invalidTime, OUT_OF_RANGE, REMIND_USAGE, REMINDERS_USAGE } from './reminders.messages';
import { MAX_REMINDER_MINUTES, MIN_REMINDER_MINUTES, type ReminderWhen } from './reminders.types';

/**
 * Pure parsers for the reminder commands. Text that starts with the command's word always
 * matches, so a member who got the rest wrong is told how to say it rather than "I don't
 * understand".
 */

export type RemindArgs = { kind: 'create'; what: string; when: ReminderWhen } | { kind: 'reply'; text: string };

export type RemindersArgs = { kind: 'list' } | { kind: 'cancel'; id: string } | { kind: 'reply'; text: string };

/** Every spelling the pattern accepts, by its first letter: minutes, hours or days. */
function unitMinutes(unit: string): number {
  const first = unit[0]!.toLowerCase();
  return first === 'd' ? 1440 : first === 'h' ? 60 : 1;
}

// The last "in N unit" / "at H:MM" is the time; anything before it, "in" included, is the what.
const IN_PATTERN = /^(?:(.*) )?in (\d+) ?(minutes?|mins?|m|hours?|hrs?|h|days?|d)$/iu;
const AT_PATTERN = /^(?:(.*) )?at (\d{1,2}(?::\d{1,3})?)$/iu;

const reply = (text: string): RemindArgs => ({ kind: 'reply', text });

/** "remind me to <what> in <N> minutes|hours|days", "remind me to <what> at HH:MM". */
export function parseRemind(text: string): RemindArgs | null {
  const rest = matchWords(text, 'remind');
  if (rest === null) return null;
  const body = matchWords(rest, 'me to');
  if (body === null) return reply(REMIND_USAGE);

  const relative = IN_PATTERN.exec(body);
  if (relative) {
    const what = relative[1]?.trim() ?? '';
    const minutes = Number(relative[2]) * unitMinutes(relative[3]!);
    if (what === '') return reply(EMPTY_TEXT);
    if (minutes < MIN_REMINDER_MINUTES || minutes > MAX_REMINDER_MINUTES) return reply(OUT_OF_RANGE);
    return { kind: 'create', what, when: { inMinutes: minutes } };
  }

  const absolute = AT_PATTERN.exec(body);
  if (absolute) {
    const what = absolute[1]?.trim() ?? '';
    const time = absolute[2]!;
    if (what === '') return reply(EMPTY_TEXT);
    if (!parseLocalTime(time)) return reply(invalidTime(time));
    return { kind: 'create', what, when: { atLocal: time } };
  }
  return reply(body === '' ? EMPTY_TEXT : REMIND_USAGE);
}

/** "reminders", "reminders list", "reminders cancel <id>". */
export function parseReminders(text: string): RemindersArgs | null {
  const rest = matchWords(text, 'reminders');
  if (rest === null) return null;
  if (rest === '' || rest.toLowerCase() === 'list') return { kind: 'list' };
  const id = matchWords(rest, 'cancel');
  if (id !== null && /^\S+$/u.test(id)) return { kind: 'cancel', id };
  return { kind: 'reply', text: REMINDERS_USAGE };
}
