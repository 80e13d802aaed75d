import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher, Pool } from 'undici';
import { keptAlivePool } from '../../platform/http-transport';
import { RetryAfterError } from '../../platform/queue/queue';
import { SpanKind, traced, tracingActive } from '../../platform/tracing';
import { SlackApiError } from './slack.errors';

export interface PostMessageRequest {
  token: string;
  channel: string;
  text: string;
  threadTs?: string;
  /** Jeeves' key of the message, sent as message metadata so findPosted can find the message later. */
  key?: string;
}

export interface FindPostedRequest {
  token: string;
  channel: string;
  /** Look among this thread's replies (conversations.replies) rather than the channel's history. */
  threadTs?: string;
  key: string;
  /** Only messages posted after this time (epoch ms). */
  since: number;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface SlackWebClient {
  /**
   * chat.postMessage. Throws RetryAfterError on 429 and when Slack does not answer in time,
   * SlackApiError (a PermanentJobError) when Slack refuses for good, and a plain Error for what
   * may pass (5xx, network). slackDidNotPost(err) tells whether the message may be in Slack.
   */
  postMessage(request: PostMessageRequest): Promise<PostedMessage>;
  /**
   * The ts of the message posted with this key, or undefined when the channel (or thread) has
   * none since `since`: conversations.history or conversations.replies with the messages'
   * metadata (scopes channels:history, groups:history, im:history, mpim:history). Throws
   * SlackApiError when Slack refuses to show the history (missing_scope, not_in_channel...).
   */
  findPosted(request: FindPostedRequest): Promise<string | undefined>;
}

/** The metadata event type of every message Jeeves posts; its payload carries the message's key. */
export const DELIVERY_METADATA_TYPE = 'jeeves_delivery';

/**
 * True when chat.postMessage certainly did not post: Slack answered with an error, or the
 * connection was never made. False when the outcome is unknown (no answer in time, connection
 * lost mid-exchange): the message may be in the channel.
 */
export function slackDidNotPost(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { notPosted?: unknown }).notPosted === true;
}

function notPosted<E extends Error>(err: E): E {
  return Object.assign(err, { notPosted: true });
}

/** Failures before a byte reached Slack: nothing can have been posted. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** How far findPosted looks back through a busy channel before it gives up: pages of 200 messages. */
const HISTORY_PAGES = 5;

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

/** undici's codes for an answer that did not come in time: Slack may still act on the request. */
const NO_ANSWER_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * One exchange's answer, gathered straight from undici's parser callbacks: no response stream and
 * no async resource per request. One object per request with its methods shared, rather than five
 * closures: every reply goes through here (bench/README.md).
 */
class AnswerGatherer implements Dispatcher.DispatchHandler {
  private status = 0;
  private retryAfter: string | undefined;
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly resolve: (response: RawResponse) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  // Its presence tells undici this handler speaks the current (controller) API.
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    const header = headers['retry-after'];
    this.retryAfter = Array.isArray(header) ? header[0] : header;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.resolve({ status: this.status, retryAfter: this.retryAfter, body: Buffer.concat(this.chunks).toString('utf8') });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.reject(NO_ANSWER_CODES.has(String((err as { code?: unknown }).code)) ? new NoAnswerError() : err);
  }
}

/** One POST over a kept-alive connection, through undici's dispatch API as platform/http-transport sends, but on the web client's own pool and with its own timeouts. */
function post(pool: Pool, path: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    pool.dispatch({ method: 'POST', path, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }, new AnswerGatherer(resolve, reject));
  });
}

interface SlackAnswer {
  ok?: unknown;
  error?: unknown;
}

/**
 * One Web API call: its answer parsed when Slack said ok, else the error the queue needs. A 429
 * is RetryAfterError, a refusal for good is SlackApiError, what may pass is a plain Error; each
 * carries notPosted when Slack answered (or was never reached). Invalid JSON in a 200 is not
 * notPosted: Slack may have acted before its answer went wrong. A chain rather than an async
 * function: every delivery makes this call, and each promise costs AsyncLocalStorage's hooks.
 */
function call<T extends SlackAnswer>(method: string, pool: Pool, path: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<T> {
  if (tracingActive()) return traced(method, { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'slack', 'rpc.method': method } }, () => callSlack<T>(method, pool, path, headers, body, timeoutMs));
  return callSlack<T>(method, pool, path, headers, body, timeoutMs);
}

function callSlack<T extends SlackAnswer>(method: string, pool: Pool, path: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<T> {
  return post(pool, path, headers, body, timeoutMs).then(
    (response) => answerOf<T>(method, response),
    (err: unknown) => {
      throw unanswered(method, err, timeoutMs);
    },
  );
}

/** The error for a call Slack did not answer. */
function unanswered(method: string, err: unknown, timeoutMs: number): Error {
  // Slack may still be acting on it: the next try waits as long again before it looks (or posts).
  if (err instanceof NoAnswerError) return new RetryAfterError(`Slack ${method}: no answer within ${timeoutMs} ms`, timeoutMs, { cause: err });
  const unreached = CONNECT_ERRORS.has(String((err as { code?: unknown }).code));
  const failure = new Error(`Slack ${method}: unreachable`, { cause: err });
  return unreached ? notPosted(failure) : failure;
}

/** Slack's answer when it said ok; else throws the error it means (see call). */
function answerOf<T extends SlackAnswer>(method: string, response: RawResponse): T {
  if (response.status === 429) {
    const waitMs = retryAfterMs(response.retryAfter);
    throw notPosted(new RetryAfterError(`Slack ${method} rate limited; retry after ${waitMs} ms`, waitMs));
  }
  if (response.status >= 500) throw notPosted(new Error(`Slack ${method} answered HTTP ${response.status}`));
  if (response.status >= 400) throw notPosted(new SlackApiError(`http_${response.status}`, method));
  let parsed: T;
  try {
    parsed = JSON.parse(response.body) as T;
  } catch (err) {
    throw new Error(`Slack ${method} answered with invalid JSON`, { cause: err });
  }
  if (parsed.ok === true) return parsed;
  const error = typeof parsed.error === 'string' ? parsed.error : 'unknown_error';
  if (TRANSIENT_ERRORS.has(error)) throw notPosted(new Error(`Slack ${method} failed: ${error}`));
  throw notPosted(new SlackApiError(error, method));
}

interface HistoryAnswer extends SlackAnswer {
  messages?: Array<{ ts?: unknown; metadata?: { event_type?: unknown; event_payload?: { key?: unknown } } }>;
  has_more?: unknown;
  response_metadata?: { next_cursor?: unknown };
}

/** Slack's ts for an epoch time in ms: seconds with six decimals. */
function slackTs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(6);
}

/** A thin client of the Web API methods Jeeves needs, speaking Slack's wire format. */
export function createSlackWebClient({ apiUrl, timeoutMs = 5000 }: SlackWebClientOptions): SlackWebClient {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  const path = (method: string) => new URL(method, base).pathname;
  const [postMessagePath, historyPath, repliesPath] = [path('chat.postMessage'), path('conversations.history'), path('conversations.replies')];
  // Kept-alive connections, as every outbound call has them: no TCP (and TLS) handshake per message.
  const pool = keptAlivePool(new URL(base).origin);
  // The last token's headers, kept: a worker mostly posts for one workspace after another of the same.
  let posting = { token: '', headers: {} as Record<string, string> };
  const postHeaders = (token: string) => {
    if (posting.token !== token) posting = { token, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' } };
    return posting.headers;
  };
  return {
    postMessage({ token, channel, text, threadTs, key }) {
      const payload: Record<string, unknown> = { channel, text };
      if (threadTs !== undefined) payload.thread_ts = threadTs;
      if (key !== undefined) payload.metadata = { event_type: DELIVERY_METADATA_TYPE, event_payload: { key } };
      const body = Buffer.from(JSON.stringify(payload), 'utf8');
      return call<SlackAnswer & { channel?: unknown; ts?: unknown }>('chat.postMessage', pool, postMessagePath, postHeaders(token), body, timeoutMs).then((posted) => ({
        channel: typeof posted.channel === 'string' ? posted.channel : channel,
        ts: typeof posted.ts === 'string' ? posted.ts : '',
      }));
    },
    async findPosted({ token, channel, threadTs, key, since }) {
      const [method, methodPath] = threadTs === undefined ? ['conversations.history', historyPath] : ['conversations.replies', repliesPath];
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' };
      let cursor = '';
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const form = new URLSearchParams({ channel, oldest: slackTs(since), limit: '200', include_all_metadata: 'true' });
        if (threadTs !== undefined) form.set('ts', threadTs);
        if (cursor) form.set('cursor', cursor);
        const answer = await call<HistoryAnswer>(method, pool, methodPath, headers, Buffer.from(form.toString(), 'utf8'), timeoutMs);
        const found = (answer.messages ?? []).find((m) => m.metadata?.event_type === DELIVERY_METADATA_TYPE && m.metadata.event_payload?.key === key);
        if (found) return typeof found.ts === 'string' ? found.ts : '';
        const next = answer.response_metadata?.next_cursor;
        if (answer.has_more !== true || typeof next !== 'string' || next === '') return undefined;
        cursor = next;
      }
      return undefined;
    },
  };
}
