import type { DataSource } from 'typeorm';
import type { Logger } from '../../platform/logger';
import type { JobQueue } from '../../platform/queue';
import type { Clock, MemberRef, Notifier, TimezoneLookup } from '../../kernel';

/** The reminders module's plain types: what callers see, never TypeORM rows. */

/**
 * pending: waiting for its time. sent: handed to the Slack delivery queue, not yet known to be
 * posted. delivered: in Slack. failed: Slack refused it for good (see the dead letters).
 */
export type ReminderStatus = 'pending' | 'sent' | 'delivered' | 'failed' | 'cancelled';

/** How the delivery of a reminder's message ended. */
export type DeliveryOutcome = 'posted' | 'given-up';

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

const KEY_PREFIX = 'reminder:';

/** The idempotency key of a reminder, for its queue job and its Slack message alike. */
export function reminderKey(id: number): string {
  return `${KEY_PREFIX}${id}`;
}

/** The reminder a message key names, or undefined for any other message's key. */
export function reminderIdOfKey(key: string): number | undefined {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const id = Number(key.slice(KEY_PREFIX.length));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
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
  /** The queue job: hands a pending reminder's message to Slack delivery once, then marks it sent. Safe to run twice. */
  deliver(id: number): Promise<'sent' | 'skipped'>;
  /**
   * Delivery's word on a message: a reminder's is marked delivered or failed; any other key is
   * ignored. Returns whether a reminder changed.
   */
  settle(key: string, outcome: DeliveryOutcome): Promise<boolean>;
  /**
   * Re-enqueues every pending reminder (the due ones at once), and hands every sent one to
   * delivery again, to be posted unless Slack already has it: a start-up after Redis lost its
   * jobs loses no reminder. Returns how many.
   */
  recoverPending(): Promise<number>;
  /**
   * Deletes every reminder of the member, whatever its status; returns how many. A pending one's
   * queued job then finds no row and skips, so nothing of theirs is posted after this.
   */
  forget(ref: MemberRef): Promise<number>;
  /** The zone the member's times are shown in (UTC when unknown). */
  timezoneFor(ref: MemberRef): Promise<string>;
  /** Consumes the reminders queue in this process. */
  start(): void;
}
