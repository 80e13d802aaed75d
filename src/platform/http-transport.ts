import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';

/**
 * The bytes-on-the-wire half of requestJson, on node:http with a keep-alive agent rather than
 * global fetch: far less CPU per call between Jeeves' services (bench/README.md).
 */

/**
 * Sockets are kept between calls (a new TCP connection per call costs more than the call).
 * Enough of them for the switch's concurrency; beyond that calls queue for a free one.
 * An idle socket is dropped after `timeout`, or sooner when the server's `Keep-Alive: timeout=`
 * hint (minus a second) is shorter, so it is closed before the server, or a load balancer
 * with the common 60 s idle timeout, closes it under us. Sent requests have their own deadline.
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 30_000, scheduling: 'lifo' } as const;
const httpAgent = new http.Agent(AGENT_OPTIONS);
const httpsAgent = new https.Agent(AGENT_OPTIONS);

/** HTTP says these may be repeated: only they are resent when a kept socket turns out closed. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export interface RawRequest {
  method: string;
  headers: OutgoingHttpHeaders;
  body: string | undefined;
  /** The whole exchange, body included, must end by then (performance.now() ms). */
  deadline: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** The deadline passed: named as AbortSignal.timeout names it, so callers tell it from a refusal. */
export class RequestTimeoutError extends Error {
  override name = 'TimeoutError';
}

/** A kept-alive socket the server had already closed: the request never reached it, so it may go again. */
function isStaleSocket(req: http.ClientRequest, err: unknown, answered: boolean): boolean {
  const code = (err as { code?: unknown }).code;
  return req.reusedSocket && !answered && (code === 'ECONNRESET' || code === 'EPIPE');
}

function sendOnce(url: URL, request: RawRequest, canResend: boolean): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const agent = url.protocol === 'https:' ? httpsAgent : httpAgent;
    const client = url.protocol === 'https:' ? https : http;
    let answered = false;
    let settled = false;
    const finish = (err: unknown, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) resolve(response!);
      else if (canResend && isStaleSocket(req, err, answered)) resolve(sendOnce(url, request, false));
      else reject(err);
    };
    const req = client.request(url, { method: request.method, headers: request.headers, agent }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', finish);
      // A body cut short (the server died mid-answer) ends in 'aborted'/'close' without 'end'.
      res.on('close', () => {
        if (!res.complete) finish(new Error('the connection closed before the whole answer arrived'));
      });
    });
    // One timer for connect, send and the whole answer, as AbortSignal.timeout gave fetch.
    const timer = setTimeout(() => {
      const err = new RequestTimeoutError('the request timed out');
      finish(err);
      req.destroy(err);
    }, Math.max(0, request.deadline - performance.now()));
    req.on('error', finish);
    req.end(request.body);
  });
}

/** One HTTP exchange over a kept-alive socket; a request lost to a stale idempotent socket is sent once more. */
export function send(url: URL, request: RawRequest): Promise<RawResponse> {
  return sendOnce(url, request, IDEMPOTENT.has(request.method));
}
