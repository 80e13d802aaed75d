import { MAX_REMINDER_TEXT } from './reminders.types';

/** What a member reads when a reminder request is not right: one place, shared by the parser and the service. */

export const REMIND_USAGE =
  'Say `remind me to <what> in <N> minutes` (or hours), or `remind me to <what> at HH:MM` (24-hour, your time), e.g. `remind me to stretch in 30 minutes`.';

export const REMINDERS_USAGE = 'Say `reminders` to list yours, or `reminders cancel <id>` to cancel one.';

export const OUT_OF_RANGE = 'I can remind you in 1 minute to 30 days.';

export const EMPTY_TEXT = 'What should I remind you about? Say `remind me to <what> in <N> minutes`, e.g. `remind me to stretch in 5 minutes`.';

export const TEXT_TOO_LONG = `That reminder is too long: please keep it to ${MAX_REMINDER_TEXT} characters.`;

export function invalidTime(time: string): string {
  return `“${time}” isn't a time of day: use 24-hour HH:MM, like 07:05 or 18:30.`;
}
