import { buildConnector, Pool, type Dispatcher } from 'undici';

/**
 * Jeeves' one outbound HTTP stack, on undici's dispatch API: requestJson between Jeeves'
 * services, and the calls to Slack, Open-Meteo, token endpoints and key sets. The answer is
 * gathered straight from the parser's callbacks (no response stream, no fetch Response), the
 * cheapest call undici offers (bench/README.md). Redirects are not followed: a 3xx is the answer.
 */

/**
 * Sockets are kept between calls (a new TCP connection per call costs more than the call). An
 * idle socket is dropped after 30 s, or sooner when the server's `Keep-Alive: timeout=` hint
 * (minus a second) is shorter, so it is closed before the server, or a load balancer with the
 * common 60 s idle timeout, closes it under us. Idle sockets are unref'd: they never hold the
 * process open. Sent requests have their own deadline.
 */
const KEEP_ALIVE = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 30_000, keepAliveTimeoutThreshold: 1000 } as const;

/** The kept-alive connections to one origin; `connections` caps them (default: as many as calls in flight). */
export function keptAlivePool(origin: string, { connections, connect }: { connections?: number; connect?: buildConnector.connector } = {}): Pool {
  return new Pool(origin, { ...KEEP_ALIVE, connections, connect });
}

/** undici's own TCP/TLS connector, as a pool builds it by default. */
const connectSocket = buildConnector({ timeout: 10_000 });

interface Origin {
  pool: Pool;
  /** Connections the pool has started: a request that fails with none started since it went out was on a kept one. */
  opened: number;
}

/** Per origin, enough connections for the switch's concurrency; beyond that calls queue for a free one. */
const origins = new Map<string, Origin>();

function originOf(origin: string): Origin {
  let found = origins.get(origin);
  if (found === undefined) {
    const entry: Origin = {
      pool: keptAlivePool(origin, {
        connections: 64,
        connect(options, callback) {
          entry.opened += 1;
          connectSocket(options, callback);
        },
      }),
      opened: 0,
    };
    origins.set(origin, (found = entry));
  }
  return found;
}

/** HTTP says these may be repeated: only they are resent when a kept socket turns out closed. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * A kept connection lost before any byte of the answer came: the server closed it as the request
 * went out (its idle timeout raced ours). undici does not resend it. It was a kept one when the
 * pool opened no connection meanwhile: a fresh connection that fails is the server's answer, and
 * is not tried again (with calls in flight opening connections, a stale one is not resent either).
 */
const LOST_BEFORE_ANSWER = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export interface RawRequest {
  /** GET unless said. */
  method?: string;
  /** Lower-case names; content-length is the body's own, set here. */
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The whole exchange, body included, must end by then (performance.now() ms; deadlineIn). */
  deadline: number;
}

/** The deadline `ms` from now, as RawRequest takes it. */
export function deadlineIn(ms: number): number {
  return performance.now() + ms;
}

export type RawHeaders = Record<string, string | string[] | undefined>;

export interface RawResponse {
  status: number;
  headers: RawHeaders;
  text: string;
}

/** The deadline passed: named as AbortSignal.timeout names it, so callers tell it from a refusal. */
export class RequestTimeoutError extends Error {
  override name = 'TimeoutError';
}

function sendOnce(url: URL, request: RawRequest, canResend: boolean): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = originOf(url.origin);
    const openedBefore = target.opened;
    let controller: Dispatcher.DispatchController | undefined;
    let answered = false;
    let settled = false;
    let status = 0;
    let headers: RawHeaders = {};
    const chunks: Buffer[] = [];
    const finish = (err: unknown, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) resolve(response!);
      else if (canResend && !answered && target.opened === openedBefore && LOST_BEFORE_ANSWER.has(String((err as { code?: unknown }).code))) {
        resolve(sendOnce(url, request, false));
      } else reject(err);
    };
    // One timer for connect, send and the whole answer, as AbortSignal.timeout gave fetch.
    const timer = setTimeout(() => {
      const err = new RequestTimeoutError('the request timed out');
      finish(err);
      // Still queued for a connection: it is dropped as soon as it would start (onRequestStart).
      controller?.abort(err);
    }, Math.max(0, request.deadline - performance.now()));
    target.pool.dispatch(
      { path: url.pathname + url.search, method: request.method ?? 'GET', headers: request.headers, body: request.body },
      {
        onRequestStart(started) {
          controller = started;
          if (settled) started.abort(new RequestTimeoutError('the request timed out'));
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          answered = true;
          status = statusCode;
          headers = responseHeaders;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          finish(undefined, { status, headers, text: Buffer.concat(chunks).toString('utf8') });
        },
        onResponseError(_controller, err) {
          finish(err);
        },
      },
    );
  });
}

/** One HTTP exchange over a kept-alive connection; a request lost to a stale idempotent socket is sent once more. */
export function send(url: URL, request: RawRequest): Promise<RawResponse> {
  return sendOnce(url, request, IDEMPOTENT.has(request.method ?? 'GET'));
}
