import { z } from 'zod';
import { AppError, UnavailableError } from '../errors';
import { deadlineIn, send, type RawResponse } from '../http-transport';
import { traceHeaders } from '../trace-headers';

/**
 * A small OAuth 2.0 client_credentials client (RFC 6749 §4.4). It speaks the standard wire
 * format, so it works against Jeeves' tokens service or any compliant authorisation server.
 */
export interface ClientCredentialsRequest {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  timeoutMs?: number;
  /** Prefix of the codes thrown when the server cannot be used (`TOKENS.UNAVAILABLE`). */
  service?: string;
}

export interface OAuthAccessToken {
  access_token: string;
  token_type: string;
  expires_in: number;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, 'token_type must be Bearer'),
  expires_in: z.number().int().positive(),
});

/** Jeeves' own `{"error": {"code", "message"}}`, which its services send for server faults. */
const appErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const errorResponse = z.object({
  error: z.string().min(1),
  error_description: z.string().optional(),
  // Jeeves' token endpoint adds its AppError code so the same error is rebuilt here; other servers omit it.
  code: z.string().optional(),
});

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they go into HTTP Basic. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

async function askToken(request: ClientCredentialsRequest, service: string): Promise<{ status: number; body: unknown }> {
  const { tokenUrl, clientId, clientSecret, audience, timeoutMs = 5000 } = request;
  let response: RawResponse;
  try {
    response = await send(new URL(tokenUrl), {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`,
        ...traceHeaders(),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', audience }).toString(),
      deadline: deadlineIn(timeoutMs),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    const what = timedOut ? `did not answer within ${timeoutMs} ms` : 'is unreachable';
    throw new UnavailableError(`${service}.UNAVAILABLE`, `the token endpoint ${what}`, err);
  }
  const { text } = response;
  try {
    return { status: response.status, body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined };
  } catch (err) {
    throw new UnavailableError(`${service}.BAD_RESPONSE`, `the token endpoint answered ${response.status} with invalid JSON`, err);
  }
}

/** Asks for a token; rebuilds the server's error (by code when it sends one) on failure. */
export async function requestClientCredentialsToken(request: ClientCredentialsRequest): Promise<OAuthAccessToken> {
  const service = request.service ?? 'TOKENS';
  const { status, body } = await askToken(request, service);
  if (status >= 400) {
    const app = appErrorResponse.safeParse(body);
    if (app.success) throw new AppError(app.data.error.code, app.data.error.message, status);
    const parsed = errorResponse.safeParse(body);
    if (!parsed.success) {
      throw new AppError(`${service}.HTTP_${status}`, `the token endpoint answered ${status}`, status >= 500 ? 503 : status);
    }
    const { error, error_description: description, code } = parsed.data;
    throw new AppError(code ?? `OAUTH.${error.toUpperCase()}`, description ?? error, status, { details: { error } });
  }
  const parsed = tokenResponse.safeParse(body);
  if (!parsed.success) {
    throw new UnavailableError(`${service}.BAD_RESPONSE`, `the token endpoint answered without a usable token: ${parsed.error.issues[0]?.message ?? 'invalid body'}`);
  }
  return parsed.data;
}
