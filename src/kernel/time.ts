import { DateTime, IANAZone } from 'luxon';

/** Local wall-clock times, in whatever zone the member lives: luxon does the DST arithmetic. */

export interface LocalTime {
  hour: number;
  minute: number;
}

/** "07:05" or "7:05" (24-hour) → { hour: 7, minute: 5 }; "25:00", "7", "7:5" → null. */
export function parseLocalTime(text: string): LocalTime | null {
  const match = /^(\d{1,2}):(\d{2})$/u.exec(text.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/** Always two digits each: "07:05". */
export function formatLocalTime({ hour, minute }: LocalTime): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The zone when luxon knows it, else UTC: a bad zone from a profile must not break scheduling. */
export function zoneOrUtc(zone: string | undefined): string {
  return zone && IANAZone.isValidZone(zone) ? zone : 'UTC';
}

/**
 * The first instant strictly after `from` when the clock on the wall in `zone` shows `time`:
 * today if still ahead, else tomorrow. Adding a calendar day (not 24 h) keeps the wall time
 * across a DST change; a time that does not exist that day (skipped by spring-forward) is
 * moved forward by the gap, as luxon does.
 */
export function nextLocalTime(time: LocalTime, zone: string, from: Date): Date {
  const now = DateTime.fromJSDate(from, { zone: zoneOrUtc(zone) });
  const at = (day: DateTime) => day.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  const today = at(now);
  return (today > now ? today : at(now.plus({ days: 1 }))).toJSDate();
}

/** "Sat 21 Nov 07:30", as the member's clock shows it. */
export function formatLocalDateTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone: zoneOrUtc(zone) }).setLocale('en-GB').toFormat('ccc d LLL HH:mm');
}

/** "2026-10-25": the member's calendar day at that instant. */
export function localDate(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone: zoneOrUtc(zone) }).toISODate() ?? instant.toISOString().slice(0, 10);
}
