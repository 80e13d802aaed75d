/**
 * The slack module's plain types and ports. Other modules (the bot, reminders) see only
 * these, through the module's face; nothing here depends on Express or TypeORM.
 */
import type { NotifierMessage } from '../../kernel';

/** A message someone sent to Jeeves, stripped of Slack's wire format. */
export interface IncomingSlackMessage {
  /** Slack's event_id for events; `command:<trigger_id>` for slash commands. */
  eventId: string;
  teamId: string;
  userId: string;
  channelId: string;
  /** What the person wrote, without the mention of the bot. May be empty. */
  text: string;
  /** Set when the message was in a thread: the reply goes to the same thread. */
  threadTs?: string;
  source: 'event' | 'command';
}

/** The port the bot implements: the reply text, or null for no reply. */
export type MessageHandler = (message: IncomingSlackMessage) => Promise<string | null>;

/**
 * The bot token of a workspace, or undefined when there is none (replies then go to the dev
 * outbox). `refused`: a token Slack just refused (invalid_auth, token_revoked...), so the
 * answer must not be what this process remembered of it.
 */
export type BotTokenProvider = (teamId: string, refused?: string) => Promise<string | undefined>;

/** One outgoing message: the kernel's NotifierMessage, which every sender hands to delivery. */
export type OutgoingSlackMessage = NotifierMessage;

export interface SlackDelivery {
  /** Durably queues the message; resolves once accepted, not once posted. */
  send(message: OutgoingSlackMessage): Promise<void>;
  /** Starts posting queued messages from this process. */
  start(): void;
}

/** Queue names: one place, so workers in other processes consume the same ones. */
export const SLACK_EVENTS_QUEUE = 'slack-events';
export const SLACK_DELIVERIES_QUEUE = 'slack-deliveries';
