import { AppError } from '../../platform/errors';
import { PermanentJobError } from '../../platform/queue/queue';

/** The signature is missing, garbled or wrong: the request did not come from Slack. */
export class BadSignatureError extends AppError {
  constructor(reason: string) {
    super('SLACK.BAD_SIGNATURE', `Slack signature rejected: ${reason}.`, 401);
  }
}

/** The timestamp is more than five minutes off: possibly a replayed request. */
export class StaleRequestError extends AppError {
  constructor() {
    super('SLACK.STALE_REQUEST', 'Slack request timestamp is more than 5 minutes off.', 401);
  }
}

/** The request is signed but not a shape Slack sends. */
export class MalformedSlackRequestError extends AppError {
  constructor(message: string) {
    super('HTTP.VALIDATION', message, 400);
  }
}

/**
 * Slack refused a Web API call for a reason retrying cannot fix (channel_not_found,
 * invalid_auth...). It is a PermanentJobError, so the queue fails the job at once; `code`
 * carries Slack's error for logs and, later, the dead-letter list.
 */
export class SlackApiError extends PermanentJobError {
  readonly code: string;
  constructor(
    readonly slackError: string,
    method: string,
  ) {
    // The name stays PermanentJobError: the queue classifies failures by name, not class.
    super(`Slack ${method} failed: ${slackError}`);
    this.code = `SLACK.${slackError.toUpperCase()}`;
  }
}

/** Slack's answers (ok:false) to a bot token it no longer takes. */
const REFUSED_TOKEN_ERRORS: ReadonlySet<string> = new Set(['invalid_auth', 'token_revoked', 'token_expired', 'account_inactive']);

/**
 * Whether Slack refused the call's token. A process trusts the token it read for a while
 * (TOKEN_CACHE_TTL_MS); after a reinstall through another process the store has a new one, which
 * BotTokenProvider's `refused` fetches at once.
 */
export function isRefusedTokenError(slackError: string): boolean {
  return REFUSED_TOKEN_ERRORS.has(slackError);
}

/**
 * True when the queue will not try this job again after this error: a permanent error, or
 * the last attempt spent. Classified by name, as the queue does (an error may come from
 * another copy of a module under tsx or jest).
 */
export function isLastAttempt(err: unknown, job: { attemptsMade: number; attempts: number }): boolean {
  return (err instanceof Error && err.name === 'PermanentJobError') || job.attemptsMade + 1 >= job.attempts;
}

/**
 * The workspace removed Jeeves or revoked its bot token: nothing of it is posted again, with
 * any token, until it reinstalls. Permanent, so its messages are dead-lettered at once.
 */
export class WorkspaceGoneError extends PermanentJobError {
  readonly code = 'SLACK.UNINSTALLED';
  constructor(teamId: string, cause?: unknown) {
    super(`uninstalled: workspace ${teamId} removed Jeeves or revoked its token`, cause === undefined ? undefined : { cause });
  }
}
