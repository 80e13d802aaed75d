import { z } from 'zod';
import type { AppError } from '../../platform/errors';
import { InvalidAudienceError, InvalidClientError, InvalidTokenRequestError, UnsupportedGrantTypeError } from './tokens.errors';
import type { TokenRequest } from './tokens.types';

/**
 * RFC 6749 at the HTTP edge: a client_credentials request (form or JSON body; client
 * authentication by HTTP Basic or by client_id/client_secret in the body) becomes a plain
 * TokenRequest, and the module's errors become OAuth error responses.
 */

// One string per parameter: a repeated form parameter arrives as an array and is refused (§3.1).
const single = z.string({ error: (issue) => `parameter ${String(issue.path?.[0] ?? '')} must be given once, as a string` }).optional();
// Unknown parameters are ignored, as §3.2 requires; z.object drops them.
const tokenParams = z.object({
  grant_type: single,
  client_id: single,
  client_secret: single,
  audience: single,
  scope: single,
});

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** §2.3.1: id and secret are form-encoded inside Basic, so `+` and %XX must be decoded. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidClientError();
  }
}

function basicCredentials(authorization: string | undefined): ClientCredentials | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(authorization.trim());
  if (!match) throw new InvalidTokenRequestError('Authenticate the client with HTTP Basic or with client_id and client_secret.');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClientError();
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

function audienceOf(audience: string | undefined, scope: string | undefined): string {
  if (audience && scope && audience !== scope) throw new InvalidTokenRequestError('Give the audience once: audience and scope disagree.');
  const wanted = audience || scope;
  if (!wanted) throw new InvalidTokenRequestError('audience is required: name the service the token is for.');
  if (/\s/.test(wanted)) throw new InvalidAudienceError(wanted, 'One audience per token: ask for each service separately.');
  return wanted;
}

/** The client a token request names (Basic or body), whether or not the rest is valid: what its rate limit counts against. */
export function claimedClientId(authorization: string | undefined, body: unknown): string | undefined {
  try {
    const basic = basicCredentials(authorization);
    if (basic) return basic.clientId;
  } catch {
    return undefined;
  }
  const id = (body as { client_id?: unknown } | undefined)?.client_id;
  return typeof id === 'string' && id !== '' ? id.slice(0, 200) : undefined;
}

export function parseTokenRequest(authorization: string | undefined, body: unknown): TokenRequest {
  const parsed = tokenParams.safeParse(body ?? {});
  if (!parsed.success) throw new InvalidTokenRequestError(parsed.error.issues[0]?.message ?? 'invalid parameters');
  const params = parsed.data;
  if (!params.grant_type) throw new InvalidTokenRequestError('grant_type is required (client_credentials).');
  if (params.grant_type !== 'client_credentials') throw new UnsupportedGrantTypeError(params.grant_type);

  const basic = basicCredentials(authorization);
  // §2.3: a client uses one authentication method per request.
  if (basic && params.client_secret !== undefined) throw new InvalidTokenRequestError('Use one client authentication method, not both HTTP Basic and client_secret.');
  if (basic && params.client_id !== undefined && params.client_id !== basic.clientId) {
    throw new InvalidTokenRequestError('client_id does not match the HTTP Basic credentials.');
  }
  const credentials = basic ?? { clientId: params.client_id ?? '', clientSecret: params.client_secret ?? '' };
  if (!credentials.clientId || !credentials.clientSecret) throw new InvalidClientError();
  return { ...credentials, audience: audienceOf(params.audience, params.scope) };
}

export interface OAuthErrorResponse {
  status: number;
  body: { error: string; error_description: string; code: string };
}

const OAUTH_ERRORS: Record<string, { error: string; status: number }> = {
  'TOKENS.INVALID_CLIENT': { error: 'invalid_client', status: 401 },
  'TOKENS.INVALID_AUDIENCE': { error: 'invalid_scope', status: 400 },
  'TOKENS.INVALID_REQUEST': { error: 'invalid_request', status: 400 },
  'TOKENS.UNSUPPORTED_GRANT_TYPE': { error: 'unsupported_grant_type', status: 400 },
};

/**
 * §5.2 error body for a client error, or undefined for anything else (server faults go to the
 * app's error middleware: §5.2 defines no server error for this endpoint).
 * `code` is an extension member: Jeeves' client rebuilds the same AppError from it.
 */
export function toOAuthError(err: AppError): OAuthErrorResponse | undefined {
  const known = OAUTH_ERRORS[err.code];
  if (known) return { status: known.status, body: { error: known.error, error_description: err.message, code: err.code } };
  if (err.status >= 400 && err.status < 500) {
    return { status: err.status, body: { error: 'invalid_request', error_description: err.message, code: err.code } };
  }
  return undefined;
}
