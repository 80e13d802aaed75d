import type { Logger } from '../../platform/logger';
import { RetryAfterError, type JobInfo, type JobQueue } from '../../platform/queue/queue';
import { isLastAttempt, isRefusedTokenError, SlackApiError } from './slack.errors';
import type { DevOutbox } from './slack.outbox';
import { slackDidNotPost, type SlackWebClient } from './slack.web-client';
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

/** Told about every message once it is in Slack (or the dev outbox): how a sender learns its message arrived. */
export type DeliverySuccessSink = (message: OutgoingSlackMessage) => Promise<void>;

export interface SlackDeliveryOptions {
  queue: JobQueue;
  client: SlackWebClient;
  outbox: DevOutbox;
  tokens: BotTokenProvider;
  logger: Logger;
  concurrency?: number;
  attempts?: number;
  backoffMs?: number;
  limiter?: DeliveryLimiter;
  onGiveUp?: DeliveryFailureSink;
  onPosted?: DeliverySuccessSink;
}

/**
 * Posts in flight per worker process. A delivery spends most of its time waiting on Slack,
 * PostgreSQL and Redis, not on the CPU, so a process keeps many going; Slack's per-channel
 * limit is the rate limiter's job, not this number's.
 */
export const DEFAULT_DELIVERY_CONCURRENCY = 32;

export interface SlackSenderOptions {
  queue: JobQueue;
  attempts?: number;
  backoffMs?: number;
}

/** The sending half of delivery: durably queues a message for whichever process delivers it. */
export type SlackSender = (message: OutgoingSlackMessage) => Promise<void>;

export function createSlackSender({ queue, attempts, backoffMs }: SlackSenderOptions): SlackSender {
  const jobOptions = { ...(attempts === undefined ? {} : { attempts }), ...(backoffMs === undefined ? {} : { backoffMs }) };
  // A delivered message's record is Slack itself, its log line and the processed counter (ADR 004).
  return (message) => queue.add(SLACK_DELIVERIES_QUEUE, 'post', message, { ...jobOptions, idempotencyKey: message.key, forgetWhenCompleted: true }).then(() => undefined);
}

/**
 * All outgoing Slack messages go through one queue, so a reply survives a slow or throttled
 * Slack and a restart. Exactly once per key: the queue drops a second add of the same key, and
 * a try that follows one whose outcome is unknown first looks for the message in Slack.
 *
 * Each message is posted with its key as message metadata. A try's outcome is unknown when its
 * worker died mid-try (the queue says so: a try started but never ended) or when Slack did not
 * answer; the next try then asks conversations.history (or .replies, in a thread) for a message
 * with that key and posts only if there is none. A try that failed knowing nothing was posted
 * (Slack answered 429, 5xx, an error; or the post never left) says so in its error, and the
 * next one posts straight away. So the first try of every message, nearly all of them, costs
 * one post and nothing else.
 *
 * A stalled try is taken over only after its lock lapses (QUEUE_LOCK_MS, at least 6 s), longer than
 * Slack takes to answer a post (the client gives up after 5 s), so a post the dead worker sent
 * is in the history by the time the next try looks.
 */
export function createSlackDelivery(options: SlackDeliveryOptions): SlackDelivery {
  const { queue, logger, concurrency = DEFAULT_DELIVERY_CONCURRENCY } = options;
  const send = createSlackSender(options);
  return {
    send,
    start() {
      // Out of any request context: every line delivery logs names its message by key, and nothing
      // on its path reads the context. A worker running only deliveries then pays no
      // AsyncLocalStorage hook on any promise.
      queue.work<OutgoingSlackMessage>(SLACK_DELIVERIES_QUEUE, (job) => deliverJob(job, options), { concurrency, inContext: false });
      logger.debug({ queue: SLACK_DELIVERIES_QUEUE, concurrency }, 'Slack delivery worker started');
    },
  };
}

/** Starts the message of an error after which the message is certainly not in Slack. */
export const NOT_POSTED = 'not posted: ';

/** Whether an earlier try of this job may have posted its message (see createSlackDelivery). */
export function earlierTryMayHavePosted(job: Pick<JobInfo, 'attemptsStarted' | 'attemptsMade' | 'lastError'>): boolean {
  if (job.attemptsStarted <= 1) return false;
  // A try that started and never ended: its worker died, perhaps after Slack took the post.
  if (job.attemptsStarted - 1 > job.attemptsMade) return true;
  return !(job.lastError ?? '').startsWith(NOT_POSTED);
}

function deliverJob(job: JobInfo<OutgoingSlackMessage>, options: SlackDeliveryOptions): Promise<void> {
  const message = job.data;
  // An earlier try's (or hand-over's) unknown outcome stays unknown until this try has looked in the channel.
  const progress = { settled: !earlierTryMayHavePosted(job) && message.mayBePostedSince === undefined, posting: false };
  // A chain, not try/await: every message takes this path (bench/README.md).
  return deliver(job, progress, options).catch(async (err: unknown) => {
    if (isLastAttempt(err, job)) await giveUp(message, err, job.attemptsMade + 1, options);
    else if (err instanceof Error && progress.settled && (!progress.posting || slackDidNotPost(err)) && !err.message.startsWith(NOT_POSTED)) {
      // The next try reads this from the queue (JobInfo.lastError) and skips looking in Slack.
      err.message = `${NOT_POSTED}${err.message}`;
    }
    throw err;
  });
}

/** How far a try got: whether earlier tries are known not to have posted, and whether this one began its post. */
interface Progress {
  settled: boolean;
  posting: boolean;
}

async function deliver(job: JobInfo<OutgoingSlackMessage>, progress: Progress, options: SlackDeliveryOptions): Promise<void> {
  const { client, outbox, tokens, limiter, logger } = options;
  const { key, teamId, channel, text, threadTs } = job.data;
  const token = await tokens(teamId);
  if (token === undefined) {
    // The outbox records the key with the message in one transaction: exactly once on its own.
    const written = await outbox.deliver(job.data);
    logger.info({ key, teamId, channel, written }, 'no bot token for the workspace: reply written to the dev outbox');
    return posted(job.data, options);
  }
  const waitMs = limiter ? await limiter(job.data) : 0;
  if (waitMs > 0) throw new RetryAfterError(`Slack delivery throttled for ${waitMs} ms`, waitMs);
  if (!progress.settled) {
    const ts = await postedEarlier(job.data, token, options);
    if (ts !== undefined) {
      logger.info({ key, teamId, channel, ts }, 'Slack message was posted by an earlier try; not posted again');
      return posted(job.data, options);
    }
    progress.settled = true;
  }
  progress.posting = true;
  const post = (bearer: string) => client.postMessage({ token: bearer, channel, text, key, ...(threadTs === undefined ? {} : { threadTs }) });
  let ts: string;
  try {
    ({ ts } = await post(token));
  } catch (err) {
    // Refused, so nothing was posted: once, with the workspace's current token if it has another.
    ({ ts } = await post(await replacementFor(err, token, job.data, options)));
  }
  logger.info({ key, teamId, channel, ts }, 'Slack message delivered');
  return posted(job.data, options);
}

/**
 * The token to post with after Slack refused `refused`, or `err` thrown again. A process trusts
 * the token it read for a while (TOKEN_CACHE_TTL_MS); when the workspace reinstalled through
 * another process meanwhile, the store has a new one, and the reply goes out with it at once.
 */
async function replacementFor(err: unknown, refused: string, message: OutgoingSlackMessage, { tokens, logger }: SlackDeliveryOptions): Promise<string> {
  if (!(err instanceof SlackApiError) || !isRefusedTokenError(err.slackError)) throw err;
  const current = await tokens(message.teamId, refused);
  if (current === undefined || current === refused) throw err;
  logger.info({ key: message.key, teamId: message.teamId, code: err.code }, "Slack refused the bot token this process knew: posting with the workspace's current one");
  return current;
}

/** Tells the sender its message arrived. Its failure is logged, not retried: the message is in Slack, and a retry would only look and find it. */
async function posted(message: OutgoingSlackMessage, { onPosted, logger }: SlackDeliveryOptions): Promise<void> {
  if (!onPosted) return;
  try {
    await onPosted(message);
  } catch (err) {
    logger.error({ err, key: message.key }, 'could not record that the Slack message arrived');
  }
}

/** How far back a later try looks for its message: as long as the queue remembers a key (further for a message handed over again, from when it may have been posted). */
const LOOK_BACK_MS = 24 * 60 * 60 * 1000;

/**
 * The ts of the message an earlier try posted, if Slack has it. When Slack will not show the
 * channel's history (a missing *:history scope, not in the channel), the message is posted
 * again: a duplicate is better than a lost reply.
 */
async function postedEarlier(message: OutgoingSlackMessage, token: string, { client, logger }: SlackDeliveryOptions): Promise<string | undefined> {
  const { key, channel, threadTs, mayBePostedSince } = message;
  const since = Math.min(Date.now() - LOOK_BACK_MS, mayBePostedSince ?? Infinity);
  try {
    return await client.findPosted({ token, channel, key, since, ...(threadTs === undefined ? {} : { threadTs }) });
  } catch (err) {
    if (!(err instanceof SlackApiError)) throw err;
    logger.warn({ key, channel, code: err.code }, 'cannot look in Slack for an earlier try of this message; posting it, perhaps twice');
    return undefined;
  }
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
