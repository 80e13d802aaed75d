import { AppError, UnavailableError } from '../errors';

/**
 * How a remote call failed, which decides everything after it:
 * - application: the remote service answered on purpose (USERS.NOT_FOUND, HTTP.VALIDATION):
 *   passed to the caller unchanged, never retried, never held against the breaker;
 * - retryable: the network, a timeout, 502/503/504/429: worth another try when idempotent;
 * - failure: the remote side is broken for us (500, refused credentials, a non-Jeeves answer).
 */
export type RemoteErrorKind = 'application' | 'retryable' | 'failure';

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
// requestJson's codes for an answer that is not Jeeves' error body (a proxy's 404, a wrong base URL)...
const FOREIGN_STATUS = /^[A-Z_]+\.HTTP_\d{3}$/;
// ...and for a body that does not parse: the same nonsense comes back on a retry.
const BAD_RESPONSE = /^[A-Z_]+\.BAD_RESPONSE$/;

const BREAKER_OPEN = 'EOPENBREAKER';

export function classifyRemoteError(err: unknown): RemoteErrorKind {
  if (err instanceof AppError) {
    if (BAD_RESPONSE.test(err.code)) return 'failure';
    if (RETRYABLE_STATUSES.has(err.status)) return 'retryable';
    // 401/403: our service credentials were refused (after the one token retry): not the user's fault.
    if (err.status >= 500 || err.status === 401 || err.status === 403) return 'failure';
    return FOREIGN_STATUS.test(err.code) ? 'failure' : 'application';
  }
  const { code, name } = (err ?? {}) as { code?: unknown; name?: unknown };
  if (code === BREAKER_OPEN) return 'failure';
  if ((typeof code === 'string' && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'AbortError') return 'retryable';
  return 'failure';
}

/** opossum's rejection while open (or half-open with its one probe already out). */
export function isBreakerOpen(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === BREAKER_OPEN;
}

/** `users` → `USERS`, `slack-web` → `SLACK_WEB`: the prefix of the module's error codes. */
export function errorPrefix(module: string): string {
  return module.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** The clear error of the 'fail' policy: 503, naming the module, the remote failure kept as cause. */
export class RemoteUnavailableError extends UnavailableError {
  constructor(module: string, cause: unknown) {
    const why = isBreakerOpen(cause) ? 'it failed repeatedly and is given time to recover' : 'it did not answer properly';
    super(`${errorPrefix(module)}.REMOTE_UNAVAILABLE`, `The ${module} service cannot be used right now: ${why}.`, cause);
  }
}
