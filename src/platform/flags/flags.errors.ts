import { AppError } from '../errors';

/** What `npm run flags` (and the admin code under it) can get wrong, each with a plain message. */
export class InvalidFlagNameError extends AppError {
  constructor(name: string) {
    super(
      'FLAGS.INVALID_NAME',
      `"${name}" is not a flag name: use 1-100 lowercase letters, digits and dashes, not starting with a dash (e.g. weather-remote).`,
      400,
    );
  }
}

export class InvalidRolloutError extends AppError {
  constructor(value: string) {
    super('FLAGS.INVALID_ROLLOUT', `"${value}" is not a percentage: give a whole number from 0 to 100.`, 400);
  }
}

export class InvalidStickinessError extends AppError {
  constructor(value: string) {
    super('FLAGS.INVALID_STICKINESS', `"${value}" is not a stickiness: use userId, teamId or default.`, 400);
  }
}

export class FlagsFileInvalidError extends AppError {
  constructor(file: string, reason: string) {
    super('FLAGS.FILE_INVALID', `The flags file ${file} is invalid (${reason}); fix it by hand, it was left untouched.`, 400);
  }
}

/** The reason (ECONNREFUSED...): in the cause when there is one (fetch's "fetch failed"), else the message; duck-typed, as errors may come from another realm. */
function reasonOf(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | undefined;
  if (typeof e?.cause?.message === 'string') return e.cause.message;
  if (typeof e?.message === 'string') return e.message;
  return String(err);
}

export class UnleashUnreachableError extends AppError {
  constructor(url: string, cause: unknown) {
    const why = reasonOf(cause);
    super('FLAGS.UNLEASH_UNREACHABLE', `Unleash is unreachable at ${url} (${why}). Is it running, and is UNLEASH_URL right?`, 503, {
      cause,
    });
  }
}

export class UnleashAuthError extends AppError {
  constructor(status: number, detail: string) {
    super(
      'FLAGS.UNLEASH_BAD_TOKEN',
      `Unleash refused UNLEASH_ADMIN_TOKEN (HTTP ${status}: ${detail}). It must be an admin API token (e.g. "*:*.secret") or a personal access token.`,
      401,
    );
  }
}

export class UnleashRequestError extends AppError {
  constructor(
    method: string,
    path: string,
    readonly httpStatus: number,
    detail: string,
  ) {
    super('FLAGS.UNLEASH_REQUEST', `Unleash answered HTTP ${httpStatus} to ${method} ${path}: ${detail}`, 502);
  }
}
