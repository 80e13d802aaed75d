import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type NextFunction } from 'express';
import type { EndpointHandler } from '../../platform/app';
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
  /**
   * Told at once of app_uninstalled and tokens_revoked, before Slack is acknowledged: a failure
   * leaves the event unacknowledged, so Slack sends it again.
   */
  onWorkspaceGone?: WorkspaceGoneSink;
}

/** What Slack revoked: the whole app (app_uninstalled), or the tokens of these users and bots. */
export type WorkspaceGone = { teamId: string; event: 'app_uninstalled' } | { teamId: string; event: 'tokens_revoked'; tokens: { oauth?: string[]; bot?: string[] } };
export type WorkspaceGoneSink = (gone: WorkspaceGone) => Promise<void>;

function goneOf(envelope: EventCallbackEnvelope, event: 'app_uninstalled' | 'tokens_revoked'): WorkspaceGone {
  const teamId = String(envelope.team_id);
  if (event === 'app_uninstalled') return { teamId, event };
  const raw = (envelope.event as { tokens?: { oauth?: unknown; bot?: unknown } }).tokens ?? {};
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((id): id is string => typeof id === 'string') : []);
  return { teamId, event, tokens: { oauth: ids(raw.oauth), bot: ids(raw.bot) } };
}

/** The path Slack's Events API posts to, as mounted (createApp's endpoints). */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * POST /slack/events as a plain handler, for createApp's endpoints (the fast path ahead of the
 * router). The hot path: read, verify, parse, filter, one durable queue add, 200. No database
 * round trip, no logging at info, nothing else awaited: Slack wants its ack within 3 s and
 * this is benchmarked against Bolt's receiver. A repeated event_id (Slack's retries) is the
 * same idempotency key, so the queue keeps one job and the retry is simply acknowledged.
 * Every refusal goes to next(err) (the contract's JSON error body). Works on Node's own req and
 * res (EndpointHandler), as the fast path gives them.
 */
export function createSlackEventsHandler({ signingSecret, queue, logger, now, onWorkspaceGone }: SlackEventsRouterOptions): EndpointHandler {
  const verify = createSignatureVerifier({ signingSecret, ...(now ? { now } : {}) });
  return (req, res, next) => {
    readRawBody(req, (err) => {
      if (err) {
        next(err);
        return;
      }
      try {
        handleEvent(req, res, next, { verify, queue, logger, onWorkspaceGone });
      } catch (error) {
        next(error);
      }
    });
  };
}

function ack(res: ServerResponse): void {
  res.statusCode = 200;
  res.end();
}

/** What res.json would send: Slack reads the challenge back from a JSON body. */
function answerJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

interface EventHandling {
  verify: SignatureVerifier;
  queue: JobQueue;
  logger: Logger;
  onWorkspaceGone: WorkspaceGoneSink | undefined;
}

function handleEvent(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: NextFunction, { verify, queue, logger, onWorkspaceGone }: EventHandling): void {
  const payload = parseJson(verifiedBody(req, verify)) as { type?: unknown; challenge?: unknown } | null;
  if (payload === null || typeof payload !== 'object') throw new MalformedSlackRequestError('Slack payload must be a JSON object');
  if (payload.type === 'url_verification') {
    if (typeof payload.challenge !== 'string') throw new MalformedSlackRequestError('url_verification without a challenge');
    answerJson(res, { challenge: payload.challenge });
    return;
  }
  if (payload.type !== 'event_callback') {
    logger.debug({ type: payload.type }, 'unhandled Slack payload type acknowledged');
    ack(res);
    return;
  }
  const result = filterEvent(payload as EventCallbackEnvelope);
  if ('ignored' in result) {
    if ((result.ignored === 'app_uninstalled' || result.ignored === 'tokens_revoked') && onWorkspaceGone) {
      const gone = goneOf(payload as EventCallbackEnvelope, result.ignored);
      logger.info({ teamId: gone.teamId, event: gone.event }, 'a workspace removed Jeeves or revoked tokens');
      onWorkspaceGone(gone).then(
        () => ack(res),
        (err: unknown) => next(new UnavailableError('SLACK.REVOCATION_FAILED', 'Could not record what Slack revoked; Slack will retry.', err)),
      );
      return;
    }
    logger.debug({ reason: result.ignored }, 'Slack event ignored');
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
