import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One poll of Unleash's client API, as it passed through the recorder. */
export interface UnleashPoll {
  /** When the client's request arrived (Date.now()). */
  askedAt: number;
  /** When the answer left for the client. */
  answeredAt: number;
  status: number;
  /** The flags the client holds after this answer: the body of a 200, the previous ones on a 304. */
  features: Array<{ name: string; enabled: boolean }>;
}

/**
 * A local HTTP proxy in front of a real Unleash that writes down every poll of its client
 * API (GET /api/client/features), so a test can tell which refresh brought a change.
 * Everything else passes through untouched.
 */
export interface UnleashPollRecorder {
  url: string;
  polls: UnleashPoll[];
  close(): Promise<void>;
}

const FEATURES_PATH = '/api/client/features';

function featuresOf(body: string): UnleashPoll['features'] | undefined {
  try {
    const parsed = JSON.parse(body) as { features?: Array<{ name: string; enabled: boolean }> };
    return parsed.features?.map(({ name, enabled }) => ({ name, enabled }));
  } catch {
    return undefined;
  }
}

export async function startUnleashPollRecorder(target: string): Promise<UnleashPollRecorder> {
  const upstream = new URL(target);
  const polls: UnleashPoll[] = [];
  let held: UnleashPoll['features'] = [];

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const askedAt = Date.now();
    // Asked for uncompressed, so the recorder can read the flags in the answer.
    const { 'accept-encoding': _compressed, ...headers } = req.headers;
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...headers, host: upstream.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const status = answer.statusCode ?? 502;
          if (req.method === 'GET' && req.url?.split('?')[0] === FEATURES_PATH) {
            if (status === 200) held = featuresOf(body.toString()) ?? held;
            // Written down before the client can read it, so a poll is on the list when its answer is seen.
            polls.push({ askedAt, answeredAt: Date.now(), status, features: held });
          }
          res.writeHead(status, answer.headers);
          res.end(body);
        });
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    polls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
