import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Slack Web API that only answers chat.postMessage ok, in Slack's wire format, and notes when
 * each reply arrived (on this process's clock, the one the load generator uses). The shared
 * stand-in (scripts/stand-ins) scripts failures for tests but keeps no arrival times.
 */
export interface SlackSink {
  /** Ends with /api/: SLACK_API_URL. */
  url: string;
  token: string;
  /** Arrival times (performance.now()) of each reply, by the thread it answered. */
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

export async function startSlackSink(token = 'xoxb-bench-sink-token'): Promise<SlackSink> {
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
    close: () => new Promise((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const at = performance.now();
      let payload: { channel?: string; thread_ts?: string } = {};
      try {
        payload = JSON.parse(raw) as typeof payload;
      } catch {
        // Counted below as unexpected: Jeeves always sends JSON.
      }
      if (req.url !== '/api/chat.postMessage' || req.headers.authorization !== `Bearer ${token}` || typeof payload.thread_ts !== 'string') {
        sink.unexpected += 1;
      } else {
        const seen = arrivals.get(payload.thread_ts);
        if (seen) seen.push(at);
        else arrivals.set(payload.thread_ts, [at]);
      }
      sink.posts += 1;
      sink.lastPostAt = at;
      sequence += 1;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ok: true, channel: payload.channel ?? '', ts: `1700000000.${String(sequence).padStart(6, '0')}` }));
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (sink.posts >= waiters[i]!.count) waiters.splice(i, 1)[0]!.resolve(true);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return sink;
}
