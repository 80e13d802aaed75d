import { MalformedSlackRequestError } from './slack.errors';

/** What goes on the slack-events queue: only the fields the processor needs, small to store. */
export interface SlackEventJob {
  eventId: string;
  teamId: string;
  userId: string;
  channelId: string;
  text: string;
  threadTs?: string;
  /** The bot's own user ids in this workspace, so the processor can strip their mentions. */
  botUserIds: string[];
}

interface Authorization {
  user_id?: unknown;
  is_bot?: unknown;
}

/** The fields of an event_callback this module reads; Slack sends many more. */
export interface EventCallbackEnvelope {
  type: 'event_callback';
  event_id?: unknown;
  team_id?: unknown;
  authorizations?: unknown;
  event?: {
    type?: unknown;
    subtype?: unknown;
    bot_id?: unknown;
    user?: unknown;
    channel?: unknown;
    channel_type?: unknown;
    text?: unknown;
    thread_ts?: unknown;
  };
}

export type FilterResult = { job: SlackEventJob } | { ignored: string };

function botUserIdsOf(authorizations: unknown): string[] {
  const ids: string[] = [];
  if (!Array.isArray(authorizations)) return ids;
  for (const a of authorizations as Authorization[]) {
    if (a && a.is_bot === true && typeof a.user_id === 'string') ids.push(a.user_id);
  }
  return ids;
}

/**
 * Decides, before anything is queued, whether an event is a message for Jeeves: an
 * app_mention, or a message in a DM. Bots (ourselves included) and edits, joins and other
 * subtypes are ignored, so nothing we post can loop back as a command.
 */
export function filterEvent(envelope: EventCallbackEnvelope): FilterResult {
  const { event_id: eventId, team_id: teamId, event } = envelope;
  if (typeof eventId !== 'string' || eventId === '' || typeof teamId !== 'string' || typeof event !== 'object' || event === null) {
    throw new MalformedSlackRequestError('event_callback without event_id, team_id or event');
  }
  const type = event.type;
  if (type === 'app_uninstalled' || type === 'tokens_revoked') return { ignored: String(type) };
  if (type !== 'app_mention' && !(type === 'message' && event.channel_type === 'im')) return { ignored: `unhandled ${String(type)}` };
  if (event.bot_id !== undefined) return { ignored: 'bot message' };
  if (event.subtype !== undefined) return { ignored: `subtype ${String(event.subtype)}` };
  const { user, channel } = event;
  if (typeof user !== 'string' || typeof channel !== 'string') return { ignored: 'no user or channel' };
  const botUserIds = botUserIdsOf(envelope.authorizations);
  if (botUserIds.includes(user)) return { ignored: 'own message' };
  const job: SlackEventJob = {
    eventId,
    teamId,
    userId: user,
    channelId: channel,
    text: typeof event.text === 'string' ? event.text : '',
    botUserIds,
  };
  if (typeof event.thread_ts === 'string') job.threadTs = event.thread_ts;
  return { job };
}
