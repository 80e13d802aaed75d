import type { DataSource } from 'typeorm';
import type { Logger } from '../../platform/logger';
import type { JobQueue } from '../../platform/queue';
import type { Clock, MemberRef, Notifier, TimezoneLookup } from '../../kernel';

/** The alerts module's plain types: what callers see, never TypeORM rows. */

export interface AlertSubscription {
  teamId: string;
  userId: string;
  /** Where the alert is posted: where `alerts on` was said. */
  channelId: string;
  /** "HH:MM", 24-hour, on the member's wall clock. */
  localTime: string;
  /** The IANA zone the schedule runs in. */
  timezone: string;
  enabled: boolean;
  /** ISO 8601. */
  updatedAt: string;
}

/** A subscription as just (re)scheduled, with its next alert. */
export interface ScheduledAlert extends AlertSubscription {
  /** ISO 8601, UTC. */
  nextAt: string;
}

/** A subscription as stored, with its next alert when it is on. */
export interface AlertStatus extends AlertSubscription {
  nextAt: string | null;
}

/**
 * The member's weather as a Slack-ready message (mrkdwn, already escaped): what `weather`
 * would answer them. Throws when the weather cannot be had, so the job is retried.
 */
export type WeatherReport = (ref: MemberRef) => Promise<string>;

export const DEFAULT_ALERT_TIME = '07:30';
export const ALERTS_QUEUE = 'alerts';
export const SEND_ALERT_JOB = 'send';

/** One schedule per member: enabling again, or a new zone, replaces it. */
export function alertScheduleId(ref: MemberRef): string {
  return `alert:${ref.teamId}:${ref.userId}`;
}

/** One message per member per local day, however many times the day's tick runs. */
export function alertMessageKey(ref: MemberRef, localDay: string): string {
  return `alert:${ref.teamId}:${ref.userId}:${localDay}`;
}

export interface AlertsDependencies {
  dataSource: DataSource;
  queue: JobQueue;
  notifier: Notifier;
  weather: WeatherReport;
  timezones: TimezoneLookup;
  /**
   * False for a workspace that removed Jeeves (or whose tokens were revoked): its ticks are
   * skipped, nothing is looked up or posted, and the schedule is kept so a reinstall resumes it.
   * Default: every workspace is answered.
   */
  answered?: (teamId: string) => Promise<boolean>;
  clock?: Clock;
  logger: Logger;
}

/**
 * Errors: ALERTS.INVALID_TIME (400). PostgreSQL holds the subscriptions; the queue holds one
 * cron schedule per enabled one, in the member's zone, so the cron engine handles DST.
 */
export interface AlertsService {
  /** Turns the daily alert on (or moves it) at `localTime` (default 07:30) in the member's zone. */
  enable(ref: MemberRef, channelId: string, localTime?: string): Promise<ScheduledAlert>;
  /** Turns it off; answers whether it was on. */
  disable(ref: MemberRef): Promise<boolean>;
  get(ref: MemberRef): Promise<AlertStatus | null>;
  /** Removes the member's schedule and subscription; answers whether there was one. */
  forget(ref: MemberRef): Promise<boolean>;
  /** Re-reads the member's zone and re-schedules an enabled alert; null when there is none. */
  rescheduleFor(ref: MemberRef): Promise<ScheduledAlert | null>;
  /** The hook for "the member's location (so maybe zone) changed". */
  onLocationChanged(ref: MemberRef): Promise<void>;
  /** The queue job: posts today's weather once per local day. */
  send(ref: MemberRef): Promise<'sent' | 'skipped'>;
  /** Re-creates the schedule of every enabled alert (the queue may have lost them); returns how many. */
  recoverSchedules(): Promise<number>;
  /** Consumes the alerts queue in this process. */
  start(): void;
}
