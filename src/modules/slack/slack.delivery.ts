import type { Logger } from '../../platform/logger';
import { RetryAfterError, type JobInfo, type JobQueue } from '../../platform/queue/queue';
import { isLastAttempt } from './slack.errors';
import type { DeliveryLedger } from './slack.delivery-ledger';
import type { DevOutbox } from './slack.outbox';
import type { SlackWebClient } from './slack.web-client';
import { SLACK_DELIVERIES_QUEUE, type BotTokenProvider, type OutgoingSlackMessage, type SlackDelivery } from './slack.types';

/** Says how long a message must wait before it may go out (0: now). Issue 4's per-workspace rate limiting plugs in here. */
export type DeliveryLimiter = (message: OutgoingSlackMessage) => Promise<number>;

export interface DeliveryFailure {
  message: OutgoingSlackMessage;
  /** Slack's error as a code (SLACK.CHANNEL_NOT_FOUND), or DELIVERY.FAILED. */
  code: string;
  reason: string;
  attemptsMade: number;
}

/** Told about every message given up on (permanent error, or last attempt spent): the dead-letter seam. */
export type DeliveryFailureSink = (failure: DeliveryFailure) => Promise<void>;

export interface SlackDeliveryOptions {
  queue: JobQueue;
  client: SlackWebClient;
  outbox: DevOutbox;
  ledger: DeliveryLedger;
  tokens: BotTokenProvider;
  logger: Logger;
  concurrency?: number;
  attempts?: number;
  backoffMs?: number;
  limiter?: DeliveryLimiter;
  onGiveUp?: DeliveryFailureSink;
}

/**
 * Posts in flight per worker process. A delivery spends most of its time waiting on Slack,
 * PostgreSQL and Redis, not on the CPU, so a process keeps many going; Slack's per-channel
 * limit is the rate limiter's job, not this number's.
 */
export const DEFAULT_DELIVERY_CONCURRENCY = 32;

/**
 * All outgoing Slack messages go through one queue, so a reply survives a slow or throttled
 * Slack and a restart. Exactly once per key: the queue drops a second add of the same key,
 * and the ledger stops a retried job from posting again after its post succeeded.
 */
export function createSlackDelivery(options: SlackDeliveryOptions): SlackDelivery {
  const { queue, logger, concurrency = DEFAULT_DELIVERY_CONCURRENCY, attempts, backoffMs } = options;
  const jobOptions = { ...(attempts === undefined ? {} : { attempts }), ...(backoffMs === undefined ? {} : { backoffMs }) };
  return {
    async send(message) {
      await queue.add(SLACK_DELIVERIES_QUEUE, 'post', message, { ...jobOptions, idempotencyKey: message.key });
    },
    start() {
      queue.work<OutgoingSlackMessage>(SLACK_DELIVERIES_QUEUE, (job) => deliverJob(job, options), { concurrency });
      logger.debug({ queue: SLACK_DELIVERIES_QUEUE, concurrency }, 'Slack delivery worker started');
    },
  };
}

async function deliverJob(job: JobInfo<OutgoingSlackMessage>, options: SlackDeliveryOptions): Promise<void> {
  const message = job.data;
  try {
    await deliver(message, options);
  } catch (err) {
    if (isLastAttempt(err, job)) await giveUp(message, err, job.attemptsMade + 1, options);
    throw err;
  }
}

async function deliver(message: OutgoingSlackMessage, { client, outbox, ledger, tokens, limiter, logger }: SlackDeliveryOptions): Promise<void> {
  const { key, teamId, channel, text, threadTs } = message;
  if (await ledger.isDelivered(key)) {
    logger.info({ key }, 'Slack message already delivered; retry skipped');
    return;
  }
  const waitMs = limiter ? await limiter(message) : 0;
  if (waitMs > 0) throw new RetryAfterError(`Slack delivery throttled for ${waitMs} ms`, waitMs);
  const token = await tokens(teamId);
  if (token === undefined) {
    const written = await outbox.deliver(message);
    logger.info({ key, teamId, channel, written }, 'no bot token for the workspace: reply written to the dev outbox');
    return;
  }
  const posted = await client.postMessage({ token, channel, text, ...(threadTs === undefined ? {} : { threadTs }) });
  await ledger.record({ key, teamId, channel, ts: posted.ts });
  logger.info({ key, teamId, channel, ts: posted.ts }, 'Slack message delivered');
}

async function giveUp(message: OutgoingSlackMessage, err: unknown, attemptsMade: number, { onGiveUp, logger }: SlackDeliveryOptions): Promise<void> {
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'DELIVERY.FAILED';
  const reason = err instanceof Error ? err.message : String(err);
  logger.warn({ key: message.key, teamId: message.teamId, channel: message.channel, code, attemptsMade }, `Slack message given up: ${reason}`);
  if (!onGiveUp) return;
  try {
    await onGiveUp({ message, code, reason, attemptsMade });
  } catch (sinkErr) {
    logger.error({ err: sinkErr, key: message.key }, 'could not record the undeliverable Slack message');
  }
}
