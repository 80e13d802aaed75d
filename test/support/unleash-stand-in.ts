import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny Unleash for fast tests: serves the client API (/api/client/features, register,
 * metrics) in Unleash's real wire format, so the real unleash-client runs against it.
 * The real server (test/unleash) is for the integration test; this one can be stopped,
 * restarted and made to refuse tokens in milliseconds.
 */
export interface StandInStrategy {
  name: string;
  parameters?: Record<string, string>;
  constraints?: unknown[];
}

export interface StandInFeature {
  name: string;
  enabled: boolean;
  strategies: StandInStrategy[];
}

export interface UnleashStandIn {
  url: string;
  token: string;
  /** How many times unleash-client fetched flags. */
  fetches(): number;
  setFeatures(features: StandInFeature[]): void;
  /** Answer every request with this status (e.g. 401), or normally again with undefined. */
  failWith(status: number | undefined): void;
  stop(): Promise<void>;
  /** Listens again on the same port, as a restarted server would. */
  restart(): Promise<void>;
}

export function rolloutFeature(name: string, rollout: number, stickiness = 'default', enabled = true): StandInFeature {
  return { name, enabled, strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(rollout), stickiness, groupId: name } }] };
}

export async function startUnleashStandIn(token = 'default:development.stand-in'): Promise<UnleashStandIn> {
  let features: StandInFeature[] = [];
  let failure: number | undefined;
  let fetches = 0;
  let server: Server;
  let port = 0;

  const listen = async () => {
    server = createServer((req, res) => {
      if (failure !== undefined) {
        res.writeHead(failure, { 'content-type': 'application/json' }).end('{"message":"stand-in failure"}');
        return;
      }
      if (req.headers.authorization !== token) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad token"}');
        return;
      }
      if (req.method === 'GET' && req.url?.startsWith('/api/client/features')) {
        fetches += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ version: 2, features: features.map((f) => ({ ...f, type: 'release', project: 'default' })) }));
        return;
      }
      // register and metrics: Unleash answers 202 with no body.
      req.resume();
      res.writeHead(202).end();
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    fetches: () => fetches,
    setFeatures(next) {
      features = next;
    },
    failWith(status) {
      failure = status;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
    restart: listen,
  };
}
