import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { enrichContext } from '../../platform/context';
import type { Logger } from '../../platform/logger';
import { MalformedSlackRequestError } from './slack.errors';
import { rawBody, verifiedBody } from './slack.raw-body';
import { decodeEntities } from './slack.mention';
import { createSignatureVerifier } from './slack.signature';
import type { IncomingSlackMessage, MessageHandler, SlackDelivery } from './slack.types';
import type { SlackUsage } from './slack.usage';

export interface SlackCommandsRouterOptions {
  signingSecret: string;
  handler: MessageHandler;
  delivery: SlackDelivery;
  logger: Logger;
  /** How long the handler may take before the answer goes out later instead (Slack allows 3 s). */
  budgetMs?: number;
  now?: () => number;
  /** Where each command is counted (usage); best effort, never in the answer's way. */
  usage?: Pick<SlackUsage, 'received' | 'replied'>;
}

export const WORKING_ON_IT = 'Working on it…';
export const SOMETHING_WENT_WRONG = 'Sorry, something went wrong on my side. Please try again in a moment.';

const TIMED_OUT = Symbol('timed out');

function field(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null) throw new MalformedSlackRequestError(`slash command without ${name}`);
  return value;
}

function toMessage(form: URLSearchParams): IncomingSlackMessage {
  return {
    // trigger_id is unique per invocation; it keys the late delivery so it happens once.
    eventId: `command:${form.get('trigger_id') || randomUUID()}`,
    teamId: field(form, 'team_id'),
    userId: field(form, 'user_id'),
    channelId: field(form, 'channel_id'),
    text: decodeEntities(form.get('text') ?? ''),
    source: 'command',
  };
}

/**
 * POST /commands (mount at /slack): `/jeeves <text>`. Slack shows an error when it has no
 * answer within 3 s, so the handler gets a budget; an answer in time goes back in the
 * response, a late one through the delivery queue to the channel.
 */
export function createSlackCommandsRouter(options: SlackCommandsRouterOptions): Router {
  const { signingSecret, handler, delivery, logger, budgetMs = 2500, now, usage } = options;
  const verify = createSignatureVerifier({ signingSecret, ...(now ? { now } : {}) });
  const router = Router();
  router.post('/commands', rawBody(), async (req, res) => {
    const form = new URLSearchParams(verifiedBody(req, verify).toString('utf8'));
    const message = toMessage(form);
    enrichContext({ teamId: message.teamId, userId: message.userId });
    const receivedAt = new Date();
    const key = `reply:${message.eventId}`;
    /** Counts the command, and its answer when that went back in the response; a late one is counted once delivered. */
    const counted = (answered: boolean): Promise<void> =>
      usage
        ? usage
            .received(key, message.teamId, receivedAt)
            .then(() => (answered ? usage.replied(key) : undefined))
            .catch((err: unknown) => logger.warn({ err, key }, 'could not record the command for usage'))
        : Promise.resolve();
    // A handler that throws synchronously still ends up in the rejection path below.
    const answer = Promise.resolve().then(() => handler(message));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), budgetMs);
    });
    let reply: string | null | typeof TIMED_OUT;
    try {
      reply = await Promise.race([answer, deadline]);
    } catch (err) {
      logger.error({ err, eventId: message.eventId }, 'slash command handler failed');
      reply = SOMETHING_WENT_WRONG;
    } finally {
      clearTimeout(timer);
    }
    if (reply !== TIMED_OUT) {
      void counted(reply !== null);
      if (reply === null) res.status(200).end();
      else res.json({ response_type: 'ephemeral', text: reply });
      return;
    }
    res.json({ response_type: 'ephemeral', text: WORKING_ON_IT });
    void counted(false).then(() => deliverLate(answer, message, delivery, logger));
  });
  return router;
}

/** The answer that missed the budget still reaches the person, once, through the delivery queue. */
async function deliverLate(answer: Promise<string | null>, message: IncomingSlackMessage, delivery: SlackDelivery, logger: Logger): Promise<void> {
  let text: string | null;
  try {
    text = await answer;
  } catch (err) {
    logger.error({ err, eventId: message.eventId }, 'slash command handler failed after the budget');
    text = SOMETHING_WENT_WRONG;
  }
  if (text === null) return;
  try {
    await delivery.send({ teamId: message.teamId, channel: message.channelId, text, key: `reply:${message.eventId}` });
  } catch (err) {
    logger.error({ err, eventId: message.eventId }, 'could not queue the late slash command answer');
  }
}
