import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../platform/logger';
import type { JobQueue } from '../../platform/queue/queue';
import { UnavailableError } from '../../platform/errors';
import { MalformedSlackRequestError } from './slack.errors';
import { filterEvent, type EventCallbackEnvelope } from './slack.event-filter';
import { parseJson, readRawBody, verifiedBody } from './slack.raw-body';
import { createSignatureVerifier, type SignatureVerifier } from './slack.signature';
import { SLACK_EVENTS_QUEUE } from './slack.types';

export interface SlackEventsRouterOptions {
  signingSecret: string;
  queue: JobQueue;
  logger: Logger;
  /** Milliseconds since the epoch, for the replay window; injectable for tests. */
  now?: () => number;
}

/** The path Slack's Events API posts to, as mounted (createApp's endpoints). */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * POST /slack/events as a plain handler, for createApp's endpoints (the fast path ahead of the
 * router). The hot path: read, verify, parse, filter, one durable queue add, 200. No database
 * round trip, no logging at info, nothing else awaited: Slack wants its ack within 3 s and
 * this is benchmarked against Bolt's receiver. A repeated event_id (Slack's retries) is the
 * same idempotency key, so the queue keeps one job and the retry is simply acknowledged.
 * Every refusal goes to next(err) (the contract's JSON error body).
 */
export function createSlackEventsHandler({ signingSecret, queue, logger, now }: SlackEventsRouterOptions): RequestHandler {
  const verify = createSignatureVerifier({ signingSecret, ...(now ? { now } : {}) });
  return (req, res, next) => {
    readRawBody(req, (err) => {
      if (err) {
        next(err);
        return;
      }
      try {
        handleEvent(req, res, next, verify, queue, logger);
      } catch (error) {
        next(error);
      }
    });
  };
}

function ack(res: Response): void {
  res.statusCode = 200;
  res.end();
}

function handleEvent(req: Request, res: Response, next: NextFunction, verify: SignatureVerifier, queue: JobQueue, logger: Logger): void {
  const payload = parseJson(verifiedBody(req, verify)) as { type?: unknown; challenge?: unknown } | null;
  if (payload === null || typeof payload !== 'object') throw new MalformedSlackRequestError('Slack payload must be a JSON object');
  if (payload.type === 'url_verification') {
    if (typeof payload.challenge !== 'string') throw new MalformedSlackRequestError('url_verification without a challenge');
    res.json({ challenge: payload.challenge });
    return;
  }
  if (payload.type !== 'event_callback') {
    logger.debug({ type: payload.type }, 'unhandled Slack payload type acknowledged');
    ack(res);
    return;
  }
  const result = filterEvent(payload as EventCallbackEnvelope);
  if ('ignored' in result) {
    if (result.ignored === 'app_uninstalled' || result.ignored === 'tokens_revoked') {
      // Acknowledged and noted; nothing is recorded yet: per-workspace installs arrive with OAuth.
      logger.info({ teamId: (payload as EventCallbackEnvelope).team_id, event: result.ignored }, 'a workspace removed Jeeves');
    } else logger.debug({ reason: result.ignored }, 'Slack event ignored');
    ack(res);
    return;
  }
  // Acknowledged only once the job is durable; otherwise not acknowledged, so Slack retries:
  // nothing is lost while the queue is down.
  queue.add(SLACK_EVENTS_QUEUE, 'message', result.job, { idempotencyKey: result.job.eventId }).then(
    () => ack(res),
    (err: unknown) => next(new UnavailableError('SLACK.ENQUEUE_FAILED', 'Could not queue the Slack event; Slack will retry.', err)),
  );
}

/** POST /events (mount at /slack): the same handler in a Router, for apps that mount routers. */
export function createSlackEventsRouter(options: SlackEventsRouterOptions): Router {
  const router = Router();
  router.post('/events', createSlackEventsHandler(options));
  return router;
}
