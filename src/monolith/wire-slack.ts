import type { Infrastructure } from '../infrastructure/infrastructure';
import {
  createDeadLetters,
  createDevOutbox,
  createSlackDelivery,
  createSlackRateLimiter,
  createSlackSender,
  createSlackUsage,
  createSlackUserTimezone,
  createSlackWebClient,
  resolveSigningSecret,
  type BotTokenProvider,
  type DeadLetters,
  type DeliveryFailureSink,
  type DeliverySuccessSink,
  type DevOutbox,
  type SlackDelivery,
  type SlackSender,
  type SlackUsage,
  type SlackUserTimezone,
} from '../modules/slack';
import { moduleLogger, type Logger } from '../platform/logger';

/** Slack's outgoing side as the other modules need it: a sender to hand messages to, and where replies land. */
export interface SlackOut {
  logger: Logger;
  signingSecret: string;
  tokens: BotTokenProvider;
  sender: SlackSender;
  outbox: DevOutbox;
  deadLetters: DeadLetters;
  /** Messages answered and reply latency, for the usage panel. */
  usage: SlackUsage;
  /** Members' time zones as Slack knows them (users:read). */
  slackTimezone: SlackUserTimezone;
}

/** `tokens`: each workspace's bot token (the workspaces module, falling back to SLACK_BOT_TOKEN). */
export async function wireSlackOut(infra: Infrastructure, tokens: BotTokenProvider): Promise<SlackOut> {
  const { config, dataSource, metrics, queue } = infra;
  const logger = moduleLogger(infra.logger, 'slack');
  const signing = await resolveSigningSecret({ configured: config.SLACK_SIGNING_SECRET, dataDir: config.JEEVES_DATA_DIR, logger });
  return {
    logger,
    signingSecret: signing.secret,
    tokens,
    sender: createSlackSender({ queue }),
    outbox: createDevOutbox(dataSource),
    deadLetters: createDeadLetters({ dataSource, registry: metrics.registry }),
    usage: createSlackUsage(dataSource),
    slackTimezone: createSlackUserTimezone({ apiUrl: config.SLACK_API_URL, tokens }),
  };
}

export interface DeliveryOutcomes {
  /** Told once a message is in Slack (or the dev outbox). */
  posted: DeliverySuccessSink;
  /** Told when a message is given up on, after its dead letter is written. */
  givenUp: (key: string) => Promise<void>;
}

export interface DeliveryWiringOptions {
  /** Slack's per-channel rate limiting of outgoing messages (default: SLACK_RATE_LIMIT). */
  slackRateLimit?: boolean;
}

/** The delivering half: posts queued messages and tells their senders how each ended. */
export function wireSlackDelivery(infra: Infrastructure, slack: SlackOut, outcomes: DeliveryOutcomes, options: DeliveryWiringOptions = {}): SlackDelivery {
  const { config, queue } = infra;
  // Both are told even when one fails; delivery logs the first failure.
  const onGiveUp: DeliveryFailureSink = async (failure) => {
    const told = await Promise.allSettled([slack.deadLetters.sink(failure), outcomes.givenUp(failure.message.key)]);
    const refused = told.find((result) => result.status === 'rejected');
    if (refused) throw refused.reason;
  };
  return createSlackDelivery({
    queue,
    client: createSlackWebClient({ apiUrl: config.SLACK_API_URL }),
    outbox: slack.outbox,
    tokens: slack.tokens,
    logger: slack.logger,
    // About one message per second per channel, shared across workers through Redis when there is one.
    // Off, there is no limiter at all: no wait to ask for on each message.
    ...((options.slackRateLimit ?? config.SLACK_RATE_LIMIT === 'on') ? { limiter: createSlackRateLimiter(infra.redis ? { redis: infra.redis } : {}) } : {}),
    onGiveUp,
    onPosted: outcomes.posted,
  });
}
