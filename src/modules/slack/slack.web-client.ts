import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

function retryAfterMs(header: string | undefined): number {
  const seconds = header === undefined ? NaN : Number(header);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_RETRY_AFTER_S) * 1000;
}

interface RawResponse {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

class NoAnswerError extends Error {}

/**
 * One POST over a kept-alive connection. node:http rather than fetch: fetch (undici) cost about
 * 4× the CPU per post in the delivery benchmark, and every reply goes through here.
 */
function post(url: URL, agent: HttpAgent, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<RawResponse> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } });
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    // A deadline on the whole exchange, as AbortSignal.timeout gave fetch; the socket's own timeout only covers idle gaps.
    const timer = setTimeout(() => {
      fail(new NoAnswerError());
      req.destroy();
    }, timeoutMs);
    req.once('error', fail);
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', fail);
      res.once('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: Buffer.concat(chunks).toString('utf8') });
      });
      // Closed before the whole body came: no 'end'. A settled promise ignores this.
      res.once('close', () => fail(new Error('Slack closed the connection mid-answer')));
    });
    req.end(body);
  });
}

/** A thin client of the one Web API method Jeeves needs, speaking Slack's wire format. */
export function createSlackWebClient({ apiUrl, timeoutMs = 5000 }: SlackWebClientOptions): SlackWebClient {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  const postMessageUrl = new URL('chat.postMessage', base);
  // Kept-alive connections: no TCP (and TLS) handshake per message. Idle sockets are unref'd, so they never hold the process open.
  const agent = postMessageUrl.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }) : new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
  return {
    async postMessage({ token, channel, text, threadTs }) {
      const body = Buffer.from(JSON.stringify(threadTs === undefined ? { channel, text } : { channel, text, thread_ts: threadTs }), 'utf8');
      let response: RawResponse;
      try {
        response = await post(postMessageUrl, agent, { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' }, body, timeoutMs);
      } catch (err) {
        const timedOut = err instanceof NoAnswerError;
        throw new Error(timedOut ? `Slack chat.postMessage: no answer within ${timeoutMs} ms` : 'Slack chat.postMessage: unreachable', { cause: err });
      }
      if (response.status === 429) {
        const waitMs = retryAfterMs(response.retryAfter);
        throw new RetryAfterError(`Slack chat.postMessage rate limited; retry after ${waitMs} ms`, waitMs);
      }
      if (response.status >= 500) throw new Error(`Slack chat.postMessage answered HTTP ${response.status}`);
      if (response.status >= 400) throw new SlackApiError(`http_${response.status}`, 'chat.postMessage');
      let parsed: { ok?: unknown; error?: unknown; channel?: unknown; ts?: unknown };
      try {
        parsed = JSON.parse(response.body) as typeof parsed;
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
