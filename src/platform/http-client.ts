import { AppError, UnavailableError } from './errors';
import { deadlineIn, send, type RawHeaders, type RawResponse } from './http-transport';
import { outgoingTraceparent } from './trace-headers';
import { SpanKind, traced, tracingActive } from './tracing/tracing';

/**
 * A small JSON-over-HTTP client for calls between Jeeves' own services. It rebuilds the
 * remote AppError from the `{"error": {"code", "message"}}` body, so callers see the same
 * error whether a module answered in-process or remotely. Redirects are not followed: a
 * service answers where it is asked, so a 3xx means a wrong URL or something in between.
 */
export interface JsonRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** The answer's headers as a WHATWG Headers, the shape callers had from fetch. */
function toHeaders(raw: RawHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/**
 * One call, as a CLIENT span when tracing is on: its traceparent (replacing the one the caller's
 * remoteHeaders() made before the span began) is the one the service's SERVER span continues.
 * The request id and, without tracing, the traceparent are the caller's (traceHeaders()).
 */
export function requestJson<T>(url: string, request: JsonRequest = {}, service = 'REMOTE'): Promise<JsonResponse<T>> {
  if (!tracingActive()) return exchange(url, request, service);
  const method = request.method ?? 'GET';
  const { host, pathname } = new URL(url);
  const attributes = { 'http.request.method': method, 'server.address': host, 'url.path': pathname, 'jeeves.service': service.toLowerCase() };
  return traced(`${method} ${service.toLowerCase()}`, { kind: SpanKind.CLIENT, attributes }, () => {
    return exchange<T>(url, { ...request, headers: { ...request.headers, traceparent: outgoingTraceparent() } }, service);
  });
}

async function exchange<T>(url: string, request: JsonRequest, service: string): Promise<JsonResponse<T>> {
  const { method = 'GET', body, headers = {}, timeoutMs = 5000 } = request;
  const deadline = deadlineIn(timeoutMs);
  let response: RawResponse;
  try {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // The caller's headers win; the length is the body's own (the transport sets it).
    const outgoing: Record<string, string> =
      payload === undefined ? { accept: 'application/json', ...headers } : { accept: 'application/json', 'content-type': 'application/json', ...headers };
    response = await send(new URL(url), { method, headers: outgoing, body: payload, deadline });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new UnavailableError(
      `${service}.UNAVAILABLE`,
      timedOut ? `${service.toLowerCase()} service did not answer within ${timeoutMs} ms` : `${service.toLowerCase()} service is unreachable`,
      err,
    );
  }
  const { status, text } = response;
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new UnavailableError(`${service}.BAD_RESPONSE`, `${service.toLowerCase()} service answered with invalid JSON`, err);
    }
  }
  if (status >= 300) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      throw new AppError(error.code, error.message, status, { details: error.details });
    }
    throw new AppError(`${service}.HTTP_${status}`, `${service.toLowerCase()} service answered ${status}`, status >= 500 || status < 400 ? 503 : status);
  }
  let responseHeaders: Headers | undefined;
  return {
    status,
    // Built on first use: no caller of the services' clients reads them, and a Headers per call is not free.
    get headers() {
      responseHeaders ??= toHeaders(response.headers);
      return responseHeaders;
    },
    body: parsed as T,
  };
}

/**
 * The one base-URL form of Jeeves' clients: a service's root URL (http://users:3001, or one
 * with a path prefix such as http://host/jeeves, which is kept) and the module's API path.
 */
export function serviceApiUrl(baseUrl: string, apiPath: string): string {
  return new URL(apiPath.replace(/^\/+/, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString().replace(/\/+$/, '');
}
