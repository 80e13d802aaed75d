import type { DataSource } from 'typeorm';
import type { Logger } from '../../platform/logger';
import type { JobQueue } from '../../platform/queue';
import type { Clock, MemberRef, Notifier, TimezoneLookup } from './reminders.ports';

/** The reminders module's plain types: what callers see, never TypeORM rows. */

export type ReminderStatus = 'pending' | 'delivered' | 'cancelled';

export interface Reminder {
  /** Short and human: what `reminders cancel <id>` takes. */
  id: number;
  teamId: string;
  userId: string;
  channelId: string;
  threadTs: string | null;
  text: string;
  /** ISO 8601, UTC. */
  dueAt: string;
  status: ReminderStatus;
  createdAt: string;
  deliveredAt: string | null;
}

/** A reminder as just created, with the zone its due time was worked out in. */
export interface ScheduledReminder extends Reminder {
  timezone: string;
}

/** Relative (from now) or the next time the member's wall clock shows HH:MM (24-hour). */
export type ReminderWhen = { inMinutes: number } | { atLocal: string };

/** Where the reminder is posted: where it was asked for. */
export interface ReminderTarget {
  channelId: string;
  threadTs?: string;
}

export const MIN_REMINDER_MINUTES = 1;
export const MAX_REMINDER_MINUTES = 30 * 24 * 60;
export const MAX_REMINDER_TEXT = 500;

export const REMINDERS_QUEUE = 'reminders';
export const DELIVER_REMINDER_JOB = 'deliver';

/** The idempotency key of a reminder, for its queue job and its Slack message alike. */
export function reminderKey(id: number): string {
  return `reminder:${id}`;
}

export interface RemindersDependencies {
  dataSource: DataSource;
  queue: JobQueue;
  notifier: Notifier;
  timezones: TimezoneLookup;
  clock?: Clock;
  logger: Logger;
}

/**
 * Errors: REMINDERS.INVALID (400, bad text or time), REMINDERS.NOT_FOUND (404, unknown or
 * someone else's), REMINDERS.NOT_PENDING (409, already delivered or cancelled).
 * PostgreSQL is the source of truth; the queue only says when to look.
 */
export interface RemindersService {
  create(ref: MemberRef, target: ReminderTarget, what: string, when: ReminderWhen): Promise<ScheduledReminder>;
  /** The member's pending reminders, soonest first. */
  list(ref: MemberRef): Promise<Reminder[]>;
  /** Only the member's own; `id` as typed ("12" or "#12"). */
  cancel(ref: MemberRef, id: string): Promise<Reminder>;
  /** The queue job: posts a pending reminder once, then marks it delivered. Safe to run twice. */
  deliver(id: number): Promise<'delivered' | 'skipped'>;
  /** Re-enqueues every pending reminder (the due ones at once); returns how many. */
  recoverPending(): Promise<number>;
  /** The zone the member's times are shown in (UTC when unknown). */
  timezoneFor(ref: MemberRef): Promise<string>;
  /** Consumes the reminders queue in this process. */
  start(): void;
}
