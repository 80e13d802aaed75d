import { AppError } from '../../src/platform/errors';
import { parseTokenRequest, toOAuthError } from '../../src/modules/tokens/tokens.oauth';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const grant = { grant_type: 'client_credentials' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as AppError).code;
  }
  return undefined;
}

describe('token request parsing (RFC 6749 §4.4)', () => {
  it('takes the client from HTTP Basic, form-decoding id and secret (§2.3.1)', () => {
    const parsed = parseTokenRequest(basic('svc%3Aa', 'p+w%25'), { ...grant, audience: 'weather' });
    expect(parsed).toEqual({ clientId: 'svc:a', clientSecret: 'p w%', audience: 'weather' });
  });

  it('takes the client from client_id and client_secret in the body', () => {
    const parsed = parseTokenRequest(undefined, { ...grant, client_id: 'monolith', client_secret: 's', audience: 'weather' });
    expect(parsed).toEqual({ clientId: 'monolith', clientSecret: 's', audience: 'weather' });
  });

  it('accepts scope as the audience', () => {
    expect(parseTokenRequest(basic('a', 'b'), { ...grant, scope: 'users' }).audience).toBe('users');
  });

  it('ignores unknown parameters', () => {
    expect(parseTokenRequest(basic('a', 'b'), { ...grant, audience: 'users', extra: 'x' }).audience).toBe('users');
  });

  it.each([
    ['no grant_type', undefined, { audience: 'weather' }, 'TOKENS.INVALID_REQUEST'],
    ['another grant type', basic('a', 'b'), { grant_type: 'password', audience: 'weather' }, 'TOKENS.UNSUPPORTED_GRANT_TYPE'],
    ['no client credentials', undefined, { ...grant, audience: 'weather' }, 'TOKENS.INVALID_CLIENT'],
    ['Basic and client_secret together', basic('a', 'b'), { ...grant, client_secret: 'b', audience: 'weather' }, 'TOKENS.INVALID_REQUEST'],
    ['client_id disagreeing with Basic', basic('a', 'b'), { ...grant, client_id: 'c', audience: 'weather' }, 'TOKENS.INVALID_REQUEST'],
    ['Basic without a colon', `Basic ${Buffer.from('nocolon').toString('base64')}`, { ...grant, audience: 'weather' }, 'TOKENS.INVALID_CLIENT'],
    ['a Bearer header instead of client auth', 'Bearer abc', { ...grant, audience: 'weather' }, 'TOKENS.INVALID_REQUEST'],
    ['no audience', basic('a', 'b'), grant, 'TOKENS.INVALID_REQUEST'],
    ['audience and scope disagreeing', basic('a', 'b'), { ...grant, audience: 'users', scope: 'weather' }, 'TOKENS.INVALID_REQUEST'],
    ['several audiences in scope', basic('a', 'b'), { ...grant, scope: 'users weather' }, 'TOKENS.INVALID_AUDIENCE'],
    ['a repeated parameter', basic('a', 'b'), { ...grant, audience: ['users', 'weather'] }, 'TOKENS.INVALID_REQUEST'],
  ])('refuses %s', (_name, authorization, body, code) => {
    expect(codeOf(() => parseTokenRequest(authorization, body))).toBe(code);
  });
});

describe('OAuth error mapping (RFC 6749 §5.2)', () => {
  it.each([
    ['TOKENS.INVALID_CLIENT', 401, 'invalid_client', 401],
    ['TOKENS.INVALID_AUDIENCE', 400, 'invalid_scope', 400],
    ['TOKENS.INVALID_REQUEST', 400, 'invalid_request', 400],
    ['TOKENS.UNSUPPORTED_GRANT_TYPE', 400, 'unsupported_grant_type', 400],
    ['HTTP.MALFORMED_JSON', 400, 'invalid_request', 400],
  ])('maps %s to %s %s', (code, status, error, httpStatus) => {
    const mapped = toOAuthError(new AppError(code, 'why', status));
    expect(mapped).toEqual({ status: httpStatus, body: { error, error_description: 'why', code } });
  });

  it('leaves server faults to the app error middleware', () => {
    expect(toOAuthError(new AppError('INTERNAL', 'boom', 500))).toBeUndefined();
  });
});
