import { AppError, UnavailableError } from '../../src/platform/errors';
import { backoffDelay, classifyRemoteError, DEFAULT_RETRY, RemoteUnavailableError } from '../../src/platform/remote';

describe('remote error classification', () => {
  it.each([
    ['a deliberate 404 (USERS.NOT_FOUND)', new AppError('USERS.NOT_FOUND', 'no such user', 404), 'application'],
    ['a validation error', new AppError('HTTP.VALIDATION', 'bad id', 400), 'application'],
    ['an unreachable service (503)', new UnavailableError('USERS.UNAVAILABLE', 'unreachable'), 'retryable'],
    ['a gateway timeout', new AppError('USERS.HTTP_504', 'gateway', 504), 'retryable'],
    ['throttling', new AppError('USERS.HTTP_429', 'slow down', 429), 'retryable'],
    ["opossum's timeout", Object.assign(new Error('Timed out after 20ms'), { code: 'ETIMEDOUT' }), 'retryable'],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'retryable'],
    ['a server bug (500)', new AppError('INTERNAL', 'boom', 500), 'failure'],
    ['a refused service token', new AppError('AUTH.INVALID_TOKEN', 'expired', 401), 'failure'],
    ['a body that is not what the schema says', new UnavailableError('USERS.BAD_RESPONSE', 'unexpected body'), 'failure'],
    ['a 404 without Jeeves error body (wrong URL)', new AppError('USERS.HTTP_404', 'users service answered 404', 404), 'failure'],
    ['an open breaker', Object.assign(new Error('Breaker is open'), { code: 'EOPENBREAKER' }), 'failure'],
    ['a bug in the client', new TypeError('x is undefined'), 'failure'],
  ])('classifies %s', (_case, err, kind) => {
    expect(classifyRemoteError(err)).toBe(kind);
  });

  it('names the module in REMOTE_UNAVAILABLE and says when the breaker is open', () => {
    const open = new RemoteUnavailableError('slack-web', Object.assign(new Error('Breaker is open'), { code: 'EOPENBREAKER' }));
    expect(open).toMatchObject({ code: 'SLACK_WEB.REMOTE_UNAVAILABLE', status: 503 });
    expect(open.message).toMatch(/recover/);
  });
});

describe('retry backoff', () => {
  it('waits a random time below a ceiling that doubles per retry', () => {
    const options = { attempts: 5, baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3].map((n) => backoffDelay(n, options, () => 0.999))).toEqual([99, 199, 399]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
  });

  it('never waits longer than maxMs', () => {
    expect(backoffDelay(20, DEFAULT_RETRY, () => 0.999)).toBeLessThan(DEFAULT_RETRY.maxMs);
  });
});
