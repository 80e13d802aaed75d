import { RetryAfterError } from '../../platform/queue/queue';
import { SlackApiError } from './slack.errors';

export interface PostMessageRequest {
  token: string;
  channel: string;
  text: string;
  threadTs?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface SlackWebClient {
  /**
   * chat.postMessage. Throws RetryAfterError on 429, SlackApiError (a PermanentJobError)
   * when Slack refuses for good, and a plain Error for what may pass (5xx, network, timeout).
   */
  postMessage(request: PostMessageRequest): Promise<PostedMessage>;
}

export interface SlackWebClientOptions {
  /** SLACK_API_URL, ending with a slash: https://slack.com/api/ */
  apiUrl: string;
  timeoutMs?: number;
}

/** ok:false errors that may pass on their own; every other one is Slack saying no for good. */
const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'team_added_to_org']);

/** Slack's advice when a 429 carries no usable Retry-After. */
const DEFAULT_RETRY_AFTER_S = 1;

function retryAfterMs(header: string | null): number {
  const seconds = header === null ? NaN : Number(header);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_RETRY_AFTER_S) * 1000;
}

/** A thin client of the one Web API method Jeeves needs, speaking Slack's wire format. */
export function createSlackWebClient({ apiUrl, timeoutMs = 5000 }: SlackWebClientOptions): SlackWebClient {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  const postMessageUrl = new URL('chat.postMessage', base).toString();
  return {
    async postMessage({ token, channel, text, threadTs }) {
      const body = JSON.stringify(threadTs === undefined ? { channel, text } : { channel, text, thread_ts: threadTs });
      let response: Response;
      try {
        response = await fetch(postMessageUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError';
        throw new Error(timedOut ? `Slack chat.postMessage: no answer within ${timeoutMs} ms` : 'Slack chat.postMessage: unreachable', { cause: err });
      }
      if (response.status === 429) {
        await response.body?.cancel();
        const waitMs = retryAfterMs(response.headers.get('retry-after'));
        throw new RetryAfterError(`Slack chat.postMessage rate limited; retry after ${waitMs} ms`, waitMs);
      }
      const raw = await response.text();
      if (response.status >= 500) throw new Error(`Slack chat.postMessage answered HTTP ${response.status}`);
      if (response.status >= 400) throw new SlackApiError(`http_${response.status}`, 'chat.postMessage');
      let parsed: { ok?: unknown; error?: unknown; channel?: unknown; ts?: unknown };
      try {
        parsed = JSON.parse(raw) as typeof parsed;
      } catch (err) {
        throw new Error('Slack chat.postMessage answered with invalid JSON', { cause: err });
      }
      if (parsed.ok === true) {
        return { channel: typeof parsed.channel === 'string' ? parsed.channel : channel, ts: typeof parsed.ts === 'string' ? parsed.ts : '' };
      }
      const error = typeof parsed.error === 'string' ? parsed.error : 'unknown_error';
      if (TRANSIENT_ERRORS.has(error)) throw new Error(`Slack chat.postMessage failed: ${error}`);
      throw new SlackApiError(error, 'chat.postMessage');
    },
  };
}
