import { formatLocalTime, nextLocalTime, parseLocalTime, type LocalTime } from '../../kernel';
import { InvalidAlertTimeError } from './alerts.errors';

/** "7:05" → { hour: 7, minute: 5 }; throws ALERTS.INVALID_TIME on anything else. */
export function alertTime(text: string): LocalTime {
  const time = parseLocalTime(text);
  if (!time) throw new InvalidAlertTimeError(text);
  return time;
}

/** The canonical "HH:MM" the table and the confirmation show. */
export function canonicalAlertTime(text: string): string {
  return formatLocalTime(alertTime(text));
}

/** The cron pattern of a daily tick at that wall-clock time: "30 7 * * *" for 07:30. */
export function dailyCronPattern(localTime: string): string {
  const { hour, minute } = alertTime(localTime);
  return `${minute} ${hour} * * *`;
}

/**
 * The next alert strictly after `from` for a daily alert at `localTime` in `tz`: what the
 * cron engine will pick, worked out with luxon for the confirmation message. At 07:30
 * Europe/Paris that is 05:30Z in summer time and 06:30Z in winter time.
 */
export function nextAlertAt(localTime: string, tz: string, from: Date): Date {
  return nextLocalTime(alertTime(localTime), tz, from);
}
