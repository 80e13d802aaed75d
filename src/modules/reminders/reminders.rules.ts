import { InvalidReminderError } from './reminders.errors';
import { EMPTY_TEXT, invalidTime, OUT_OF_RANGE, TEXT_TOO_LONG } from './reminders.messages';
import { nextLocalTime, parseLocalTime } from '../../kernel';
import { MAX_REMINDER_MINUTES, MAX_REMINDER_TEXT, MIN_REMINDER_MINUTES, type ReminderWhen } from './reminders.types';

/** What makes a reminder valid, checked by the service whatever the way in (chat, API). */

/** Characters as a member counts them (an emoji is one), as PostgreSQL's char_length does. */
export function validText(what: string): string {
  const text = what.trim();
  if (text === '') throw new InvalidReminderError(EMPTY_TEXT);
  if ([...text].length > MAX_REMINDER_TEXT) throw new InvalidReminderError(TEXT_TOO_LONG);
  return text;
}

export function dueAtFor(when: ReminderWhen, zone: string, now: Date): Date {
  if ('inMinutes' in when) {
    const minutes = when.inMinutes;
    if (!Number.isInteger(minutes) || minutes < MIN_REMINDER_MINUTES || minutes > MAX_REMINDER_MINUTES) {
      throw new InvalidReminderError(OUT_OF_RANGE);
    }
    return new Date(now.getTime() + minutes * 60_000);
  }
  const time = parseLocalTime(when.atLocal);
  if (!time) throw new InvalidReminderError(invalidTime(when.atLocal));
  return nextLocalTime(time, zone, now);
}

/** "12" or "#12"; anything else names no reminder. */
export function parseReminderId(text: string): number | undefined {
  const match = /^#?(\d{1,9})$/u.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
