import { AppError } from '../../platform/errors';

export class SignInRequiredError extends AppError {
  constructor() {
    super('AUTH.SIGN_IN_REQUIRED', 'Sign in with Slack first.', 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do this.') {
    super('AUTH.FORBIDDEN', message, 403);
  }
}

export class CsrfTokenError extends AppError {
  constructor() {
    super('AUTH.CSRF', 'The form or call carried no valid CSRF token: reload the page and try again.', 403);
  }
}

/**
 * A sign-in that must not go through: a missing, forged or replayed state, a wrong nonce,
 * an id_token that fails its checks. 403: the callback was not one this session started.
 */
export class SignInRejectedError extends AppError {
  constructor(reason: string) {
    super('AUTH.SIGN_IN_REJECTED', `Sign-in rejected: ${reason}.`, 403);
  }
}

/** Slack refused the code (reused, expired) or the callback came without one. */
export class SignInFailedError extends AppError {
  constructor(reason: string, cause?: unknown) {
    super('AUTH.SIGN_IN_FAILED', `Sign-in failed: ${reason}.`, 400, { cause });
  }
}

export class SlackUnavailableError extends AppError {
  constructor(what: string, cause?: unknown) {
    super('AUTH.SLACK_UNAVAILABLE', `Slack did not answer ${what}; try again in a moment.`, 502, { cause });
  }
}

/** Sign in with Slack needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET. */
export class SignInNotConfiguredError extends AppError {
  constructor() {
    super('AUTH.NOT_CONFIGURED', 'Sign in with Slack is not configured here (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET).', 503);
  }
}
