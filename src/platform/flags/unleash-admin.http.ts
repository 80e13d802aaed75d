import { deadlineIn, send, type RawResponse } from '../http-transport';
import { UnleashAuthError, UnleashRequestError, UnleashUnreachableError } from './flags.errors';
import { unleashApiUrl } from './unleash-url';

/** A thin client for Unleash's admin API: JSON in and out, its failures turned into plain errors. */
export interface UnleashAdminHttp {
  readonly url: string;
  /** Resolves to the parsed body, or to undefined on a 404 when `allow404` is set. */
  request(method: string, path: string, options?: { body?: unknown; allow404?: boolean }): Promise<unknown>;
}

export interface UnleashAdminHttpOptions {
  url: string;
  adminToken: string;
  timeoutMs?: number;
}

/** Unleash's error bodies: {name, message, details: [{message}]}. */
function detailOf(body: unknown, text: string): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; details?: Array<{ message?: unknown }> };
    const detail = b.details?.[0]?.message ?? b.message;
    if (typeof detail === 'string') return detail;
  }
  return text.slice(0, 200) || '(empty body)';
}

export function createUnleashAdminHttp(options: UnleashAdminHttpOptions): UnleashAdminHttp {
  const apiUrl = unleashApiUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;

  return {
    url: options.url,
    async request(method, path, { body, allow404 = false } = {}) {
      let res: RawResponse;
      try {
        res = await send(new URL(`admin/${path}`, apiUrl), {
          method,
          headers: {
            authorization: options.adminToken,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          deadline: deadlineIn(timeoutMs),
        });
      } catch (err) {
        throw new UnleashUnreachableError(options.url, err);
      }
      const { text } = res;
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (res.status >= 200 && res.status < 300) return parsed;
      if (res.status === 404 && allow404) return undefined;
      if (res.status === 401 || res.status === 403) throw new UnleashAuthError(res.status, detailOf(parsed, text));
      throw new UnleashRequestError(method, `/api/admin/${path}`, res.status, detailOf(parsed, text));
    },
  };
}
