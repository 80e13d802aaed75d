import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A Slack Web API that only answers chat.postMessage ok, in Slack's wire format, and notes when
 * each reply arrived (on this process's clock, the one the load generator uses). The shared
 * stand-in (scripts/stand-ins) scripts failures for tests but keeps no arrival times.
 */
export interface SlackSink {
  /** Ends with /api/: SLACK_API_URL. */
  url: string;
  token: string;
  /** Arrival times (performance.now()) of each reply, by the thread it answered (empty when not kept). */
  arrivals: Map<string, number[]>;
  /** Replies with no thread_ts, or with the wrong token: none are expected. */
  unexpected: number;
  /** Every post answered ok. */
  posts: number;
  /** When the latest post arrived (performance.now()). */
  lastPostAt: number;
  /** Resolves once `count` posts have arrived, or after timeoutMs; true when they all did. */
  waitForPosts(count: number, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One parsed HTTP/1.1 request: what the sink checks of it. */
interface SinkRequest {
  target: string;
  authorization: string | undefined;
  body: string;
}

/**
 * Splits a connection's bytes into requests (keep-alive, Content-Length bodies: what undici
 * sends) and calls back with each; answers Slack's way in one write per batch of requests read
 * together. On node:net rather than node:http: the stand-in shares the cores with the workers it
 * measures, and node:http's per-request machinery cost about as much CPU as a queue job.
 */
function serveConnection(socket: Socket, handle: (request: SinkRequest) => string): void {
  socket.setNoDelay(true);
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const replies: string[] = [];
    for (;;) {
      const headEnd = pending.indexOf(HEAD_END);
      if (headEnd < 0) break;
      const head = pending.toString('latin1', 0, headEnd);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      const bodyStart = headEnd + HEAD_END.length;
      if (pending.length < bodyStart + length) break;
      const target = head.slice(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
      const authorization = /\r\nauthorization:\s*([^\r]*)/i.exec(head)?.[1];
      const body = pending.toString('utf8', bodyStart, bodyStart + length);
      pending = pending.subarray(bodyStart + length);
      const json = handle({ target, authorization, body });
      replies.push(`HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    }
    if (replies.length > 0) socket.write(replies.join(''));
  });
  socket.on('error', () => socket.destroy());
}

export interface SlackSinkOptions {
  /**
   * Note each reply's arrival in `arrivals` (default true). Off where only the count matters: a
   * delivery run posts tens of thousands of messages, and a map of them all grows this process's
   * heap, whose collections then pause the stand-in in the middle of a round.
   */
  keepArrivals?: boolean;
}

export async function startSlackSink({ keepArrivals = true }: SlackSinkOptions = {}): Promise<SlackSink> {
  const token = 'xoxb-bench-sink-token';
  const arrivals = new Map<string, number[]>();
  let sequence = 0;
  const waiters: Array<{ count: number; resolve: (ok: boolean) => void }> = [];
  const sink: SlackSink = {
    url: '',
    token,
    arrivals,
    unexpected: 0,
    posts: 0,
    lastPostAt: 0,
    waitForPosts(count, timeoutMs) {
      if (sink.posts >= count) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push({ count, resolve: (ok) => (clearTimeout(timer), resolve(ok)) });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, ({ target, authorization, body }) => {
      const at = performance.now();
      let payload: { channel?: string; thread_ts?: string } = {};
      try {
        payload = JSON.parse(body) as typeof payload;
      } catch {
        // Counted below as unexpected: Jeeves always sends JSON.
      }
      if (target !== '/api/chat.postMessage' || authorization !== `Bearer ${token}` || typeof payload.thread_ts !== 'string') {
        sink.unexpected += 1;
      } else if (keepArrivals) {
        const seen = arrivals.get(payload.thread_ts);
        if (seen) seen.push(at);
        else arrivals.set(payload.thread_ts, [at]);
      }
      sink.posts += 1;
      sink.lastPostAt = at;
      sequence += 1;
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (sink.posts >= waiters[i]!.count) waiters.splice(i, 1)[0]!.resolve(true);
      }
      return JSON.stringify({ ok: true, channel: payload.channel ?? '', ts: `1700000000.${String(sequence).padStart(6, '0')}` });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return sink;
}
