import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runWithContext } from '../../src/platform/context';
import { AppError } from '../../src/platform/errors';
import { createFakeFlagResolver } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { childTraceparent, createModuleSwitch, parseTraceparent, remoteHeaders, type ModulePolicy } from '../../src/platform/remote';
// The providers' own files: service-auth's index also loads jose, which this Jest setup cannot require.
import { requestClientCredentialsToken } from '../../src/platform/service-auth/oauth-token.client';
import { createServiceTokenProvider } from '../../src/platform/service-auth/service-token.provider';

const INCOMING = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const TRACEPARENT = /^00-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** Hands out t1, t2, ... and counts them. */
function countingProvider() {
  const issued: string[] = [];
  const provider = createServiceTokenProvider({
    audience: 'catalog',
    source: {
      async issue() {
        issued.push(`t${issued.length + 1}`);
        return { token: issued[issued.length - 1]!, expiresIn: 300 };
      },
    },
  });
  return { provider, issued };
}

describe('remote headers', () => {
  it('carries the request id of the current context and continues its trace with a new parent span', async () => {
    const headers = await runWithContext({ requestId: 'req-42', traceparent: INCOMING }, () => remoteHeaders()());
    expect(headers['x-request-id']).toBe('req-42');
    const sent = parseTraceparent(headers.traceparent);
    expect(sent).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', flags: '01' });
    expect(sent?.parentId).not.toBe('b7ad6b7169203331');
    expect(headers).not.toHaveProperty('authorization');
  });

  it('gives each call its own span id', async () => {
    const headers = remoteHeaders();
    const [a, b] = await runWithContext({ requestId: 'r', traceparent: INCOMING }, () => Promise.all([headers(), headers()]));
    expect(a!.traceparent).not.toBe(b!.traceparent);
  });

  it('starts a new trace when the context has none, and makes up a request id outside any request', async () => {
    const headers = await remoteHeaders()();
    expect(headers.traceparent).toMatch(TRACEPARENT);
    expect(headers['x-request-id']).toMatch(/^[\da-f-]{36}$/);
  });

  it('adds the service token of the provider as a Bearer header', async () => {
    const { provider } = countingProvider();
    expect(await remoteHeaders({ tokenProvider: provider })()).toMatchObject({ authorization: 'Bearer t1' });
  });
});

describe('traceparent', () => {
  it.each([
    ['an all-zero trace id', '00-00000000000000000000000000000000-b7ad6b7169203331-01'],
    ['an all-zero parent id', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01'],
    ['version ff', 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['upper-case hex', '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01'],
    ['extra fields in version 00', `${INCOMING}-extra`],
    ['garbage', 'not-a-trace'],
  ])('when the incoming header has %s, then a new trace is started', (_case, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
    const child = childTraceparent(header);
    expect(child).toMatch(TRACEPARENT);
    expect(child.split('-')[1]).not.toBe(header.split('-')[1]?.toLowerCase());
  });

  it('accepts a later version with more fields, as the spec asks', () => {
    expect(parseTraceparent('01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-more')).toMatchObject({ flags: '00' });
  });
});

describe('module switch: service token refused', () => {
  interface Catalog {
    find(id: string): Promise<string>;
  }
  const policy: ModulePolicy<Catalog> = { find: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' } };

  /** A remote that, like the HTTP client, asks remoteHeaders() for its headers, and refuses some tokens. */
  function setup(refused: (authorization: string | undefined) => boolean) {
    const { provider, issued } = countingProvider();
    const headers = remoteHeaders({ tokenProvider: provider });
    const seen: Array<string | undefined> = [];
    const remote: Catalog = {
      async find(id) {
        const { authorization } = await headers();
        seen.push(authorization);
        if (refused(authorization)) throw new AppError('AUTH.INVALID_TOKEN', 'The token has expired.', 401);
        return `remote:${id}`;
      },
    };
    const catalog = createModuleSwitch<Catalog>({
      module: 'catalog',
      local: { find: async (id) => `local:${id}` },
      remote,
      flags: createFakeFlagResolver({ 'catalog-remote': true }),
      policy,
      metrics: createMetrics({ defaults: false }),
      logger: createLogger({ level: 'silent' }),
      tokenProvider: provider,
      retry: { attempts: 3, baseMs: 1 },
    });
    return { catalog, seen, issued };
  }

  it('on a 401, drops the token, fetches a new one and retries once', async () => {
    const { catalog, seen, issued } = setup((authorization) => authorization === 'Bearer t1');
    expect(await catalog.find('7')).toBe('remote:7');
    expect(seen).toEqual(['Bearer t1', 'Bearer t2']);
    expect(issued).toEqual(['t1', 't2']);
  });

  it('when concurrent calls are refused the same token, then one new token serves them all', async () => {
    const { catalog, issued } = setup((authorization) => authorization === 'Bearer t1');
    expect(await Promise.all(['1', '2', '3'].map((id) => catalog.find(id)))).toEqual(['remote:1', 'remote:2', 'remote:3']);
    expect(issued).toEqual(['t1', 't2']);
  });

  it('when the new token is refused too, then it stops there and applies the policy', async () => {
    const { catalog, seen } = setup(() => true);
    expect(await catalog.find('7')).toBe('local:7');
    expect(seen).toEqual(['Bearer t1', 'Bearer t2']);
  });
});

describe('token endpoint: the same trace headers as the service calls', () => {
  it('sends the request id of the context and a child of its traceparent; outside any request, a fresh id and a new trace', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ access_token: 'a', token_type: 'Bearer', expires_in: 60 }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const ask = () => requestClientCredentialsToken({ tokenUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`, clientId: 'c', clientSecret: 's', audience: 'users' });
      await runWithContext({ requestId: 'req-9', traceparent: INCOMING }, ask);
      await ask();
      expect(seen[0]!['x-request-id']).toBe('req-9');
      expect(parseTraceparent(seen[0]!.traceparent as string)).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', flags: '01' });
      expect(seen[0]!.traceparent).not.toBe(INCOMING);
      expect(seen[1]!['x-request-id']).toMatch(/^[\da-f-]{36}$/);
      expect(seen[1]!.traceparent).toMatch(TRACEPARENT);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
