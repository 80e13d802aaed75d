/**
 * Ports that reminders, alerts and the composition speak in, as plain function types: who a
 * member is, what clock runs, how a message is handed to Slack, which zone a member lives in.
 */

/** A Slack workspace member; structurally the users module's UserRef. */
export interface MemberRef {
  teamId: string;
  userId: string;
}

/** Injectable time, so tests never sleep. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** One message to post. `key` makes it exactly-once: a retried job posting the same key posts nothing. */
export interface NotifierMessage {
  teamId: string;
  channel: string;
  text: string;
  threadTs?: string;
  key: string;
  /** Handed over before, and perhaps posted at or after this time (epoch ms): delivery looks before posting. */
  mayBePostedSince?: number;
}

/** The Slack delivery queue's send(): resolves once the message is durably queued. */
export type Notifier = (message: NotifierMessage) => Promise<void>;

/**
 * The member's IANA time zone: their saved location's, else Slack's users.info `tz`, else
 * undefined (callers then use UTC).
 */
export type TimezoneLookup = (ref: MemberRef) => Promise<string | undefined>;
