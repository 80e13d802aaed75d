import { Router } from 'express';
import type { Logger } from '../../platform/logger';
import type { JobQueue } from '../../platform/queue/queue';
import { UnavailableError } from '../../platform/errors';
import { MalformedSlackRequestError } from './slack.errors';
import { filterEvent, type EventCallbackEnvelope } from './slack.event-filter';
import { parseJson, rawBody, verifiedBody } from './slack.raw-body';
import { createSignatureVerifier } from './slack.signature';
import { SLACK_EVENTS_QUEUE } from './slack.types';

export interface SlackEventsRouterOptions {
  signingSecret: string;
  queue: JobQueue;
  logger: Logger;
  /** Milliseconds since the epoch, for the replay window; injectable for tests. */
  now?: () => number;
}

/**
 * POST /events (mount at /slack). The hot path: verify, parse, filter, one durable queue
 * add, 200. No database round trip, no logging at info: Slack wants its ack within 3 s and
 * this is benchmarked against Bolt's receiver. A repeated event_id (Slack's retries) is the
 * same idempotency key, so the queue keeps one job and the retry is simply acknowledged.
 */
export function createSlackEventsRouter({ signingSecret, queue, logger, now }: SlackEventsRouterOptions): Router {
  const verify = createSignatureVerifier({ signingSecret, ...(now ? { now } : {}) });
  const router = Router();
  router.post('/events', rawBody(), async (req, res) => {
    const payload = parseJson(verifiedBody(req, verify)) as { type?: unknown; challenge?: unknown } | null;
    if (payload === null || typeof payload !== 'object') throw new MalformedSlackRequestError('Slack payload must be a JSON object');
    if (payload.type === 'url_verification') {
      if (typeof payload.challenge !== 'string') throw new MalformedSlackRequestError('url_verification without a challenge');
      res.json({ challenge: payload.challenge });
      return;
    }
    if (payload.type !== 'event_callback') {
      logger.debug({ type: payload.type }, 'unhandled Slack payload type acknowledged');
      res.status(200).end();
      return;
    }
    const result = filterEvent(payload as EventCallbackEnvelope);
    if ('ignored' in result) {
      if (result.ignored === 'app_uninstalled' || result.ignored === 'tokens_revoked') {
        // Acknowledged and noted; nothing is recorded yet: per-workspace installs arrive with OAuth.
        logger.info({ teamId: (payload as EventCallbackEnvelope).team_id, event: result.ignored }, 'a workspace removed Jeeves');
      } else logger.debug({ reason: result.ignored }, 'Slack event ignored');
      res.status(200).end();
      return;
    }
    try {
      await queue.add(SLACK_EVENTS_QUEUE, 'message', result.job, { idempotencyKey: result.job.eventId });
    } catch (err) {
      // Not acknowledged, so Slack retries: nothing is lost while the queue is down.
      throw new UnavailableError('SLACK.ENQUEUE_FAILED', 'Could not queue the Slack event; Slack will retry.', err);
    }
    res.status(200).end();
  });
  return router;
}
