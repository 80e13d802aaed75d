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
  /**
   * Set when this message was handed over before and may already be in Slack, posted at or after
   * this time (epoch ms): a send after Redis lost the first one. Its first try looks in the
   * channel before posting, as a retry after an unknown outcome does.
   */
  mayBePostedSince?: number;
}

/** The Slack delivery queue's send(): resolves once the message is durably queued. */
export type Notifier = (message: NotifierMessage) => Promise<void>;

/**
 * The member's IANA time zone: their saved location's, else Slack's users.info `tz`, else
 * undefined (callers then use UTC).
 */
export type TimezoneLookup = (ref: MemberRef) => Promise<string | undefined>;
