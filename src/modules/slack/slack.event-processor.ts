import { enrichContext } from '../../platform/context';
import type { Logger } from '../../platform/logger';
import type { JobInfo, JobQueue } from '../../platform/queue/queue';
import { isLastAttempt } from './slack.errors';
import type { SlackEventJob } from './slack.event-filter';
import { decodeEntities, stripMentions } from './slack.mention';
import { SLACK_EVENTS_QUEUE, type IncomingSlackMessage, type MessageHandler, type SlackDelivery } from './slack.types';

export interface SlackEventProcessorOptions {
  queue: JobQueue;
  handler: MessageHandler;
  delivery: SlackDelivery;
  logger: Logger;
  concurrency?: number;
  /** Told when a message is taken up, with its reply's key (usage); its failure is logged, never the reply's. */
  onReceived?: (message: IncomingSlackMessage, replyKey: string) => Promise<void>;
}

export interface SlackEventProcessor {
  /** Starts consuming the slack-events queue in this process. */
  start(): void;
}

export const HANDLER_FAILED_REPLY = 'Sorry, I could not do that just now. Please try again in a moment.';

function toIncoming(job: SlackEventJob): IncomingSlackMessage {
  const message: IncomingSlackMessage = {
    eventId: job.eventId,
    teamId: job.teamId,
    userId: job.userId,
    channelId: job.channelId,
    text: decodeEntities(stripMentions(job.text, job.botUserIds)),
    source: 'event',
  };
  if (job.threadTs !== undefined) message.threadTs = job.threadTs;
  return message;
}

/** Events handled at once per process; more slots do not shorten the reply's tail (bench/README.md). */
export const DEFAULT_EVENT_CONCURRENCY = 8;

/**
 * Turns queued Slack events into replies: strip the mention, ask the handler, hand the
 * answer to delivery keyed by the event, so a job run twice still replies once. A reply to a
 * message in a thread goes to that thread; a top-level mention is answered in the channel.
 */
export function createSlackEventProcessor({ queue, handler, delivery, logger, concurrency = DEFAULT_EVENT_CONCURRENCY, onReceived }: SlackEventProcessorOptions): SlackEventProcessor {
  async function process(job: JobInfo<SlackEventJob>): Promise<void> {
    const message = toIncoming(job.data);
    enrichContext({ teamId: message.teamId, userId: message.userId });
    const key = `reply:${message.eventId}`;
    const target = { teamId: message.teamId, channel: message.channelId, key, ...(message.threadTs === undefined ? {} : { threadTs: message.threadTs }) };
    if (onReceived) await onReceived(message, key).catch((err: unknown) => logger.warn({ err, key }, 'could not record the message for usage'));
    let reply: string | null;
    try {
      reply = await handler(message);
    } catch (err) {
      if (!isLastAttempt(err, job)) throw err;
      // Out of retries: the person hears that it failed rather than nothing at all.
      logger.error({ err, eventId: message.eventId }, 'message handler failed on its last attempt');
      await delivery.send({ ...target, text: HANDLER_FAILED_REPLY });
      throw err;
    }
    if (reply === null) return;
    await delivery.send({ ...target, text: reply });
  }
  return {
    start() {
      queue.work<SlackEventJob>(SLACK_EVENTS_QUEUE, process, { concurrency });
      logger.debug({ queue: SLACK_EVENTS_QUEUE, concurrency }, 'Slack event processor started');
    },
  };
}
