import { AppError, UnavailableError } from './errors';

/**
 * A small JSON-over-HTTP client for calls between Jeeves' own services. It rebuilds the
 * remote AppError from the `{"error": {"code", "message"}}` body, so callers see the same
 * error whether a module answered in-process or remotely.
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

export async function requestJson<T>(url: string, request: JsonRequest = {}, service = 'REMOTE'): Promise<JsonResponse<T>> {
  const { method = 'GET', body, headers = {}, timeoutMs = 5000 } = request;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new UnavailableError(
      `${service}.UNAVAILABLE`,
      timedOut ? `${service.toLowerCase()} service did not answer within ${timeoutMs} ms` : `${service.toLowerCase()} service is unreachable`,
      err,
    );
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new UnavailableError(`${service}.BAD_RESPONSE`, `${service.toLowerCase()} service answered with invalid JSON`, err);
    }
  }
  if (response.status >= 400) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      throw new AppError(error.code, error.message, response.status, { details: error.details });
    }
    throw new AppError(`${service}.HTTP_${response.status}`, `${service.toLowerCase()} service answered ${response.status}`, response.status >= 500 ? 503 : response.status);
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
