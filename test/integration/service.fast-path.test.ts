import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { usersService } from '../../extracted/users/main';
import { weatherService } from '../../extracted/weather/main';
import { startOpenMeteoStandIn, type OpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { createMetrics } from '../../src/platform/metrics';
import { createServiceTokenProvider } from '../../src/platform/service-auth';
import { startService, type RunningService, type ServiceDefinition } from '../../src/service-host/service-host';
import { quietLogger, serviceConfig, startTokensStack, type TokensStack } from './extracted.support';

/**
 * An extracted service answers its reads on a fast path ahead of Express's router. The same
 * requests, sent to the same service started with the fast path and without it, must get the
 * same status, headers and body, and leave the same request metrics.
 */

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Headers that differ between any two answers (the clock, the connection). */
const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

function send(base: string, path: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: stable(res.headers), body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function stable(headers: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !VOLATILE.has(name)));
}

/** The request counter's series, as /metrics shows them. */
async function requestSeries(service: RunningService): Promise<string[]> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('jeeves_http_requests_total{'))
    .sort();
}

interface Probe {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** No service token, or a broken one. */
  token?: 'none' | 'malformed' | 'tampered';
  /** Send the ETag of the previous answer as If-None-Match. */
  revalidate?: boolean;
}

describe.each([
  [
    'users',
    usersService,
    [
      { name: 'a member', path: '/api/users/T0FAST001/U0FAST001' },
      { name: 'a member, revalidated', path: '/api/users/T0FAST001/U0FAST001', revalidate: true },
      { name: 'a member, with a request id and traceparent', path: '/api/users/T0FAST001/U0FAST001', headers: { 'x-request-id': 'req-fast-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } },
      { name: 'an unknown member', path: '/api/users/T0FAST001/U0NOBODY1' },
      { name: 'an invalid id', path: '/api/users/T0FAST001/not-an-id' },
      { name: 'no token', path: '/api/users/T0FAST001/U0FAST001', token: 'none' },
      { name: 'a malformed token', path: '/api/users/T0FAST001/U0FAST001', token: 'malformed' },
      { name: 'a tampered token', path: '/api/users/T0FAST001/U0FAST001', token: 'tampered' },
      { name: 'a trailing slash', path: '/api/users/T0FAST001/U0FAST001/' },
      { name: 'another case', path: '/API/users/T0FAST001/U0FAST001' },
      { name: 'a percent-encoded id', path: '/api/users/T0FAST001/U0FAST%30%301' },
      { name: 'settings', path: '/api/users/T0FAST001/U0FAST001/settings' },
      { name: 'an unknown setting', path: '/api/users/T0FAST001/U0FAST001/settings/no-such-key' },
      { name: 'the list, one per page', path: '/api/users?limit=1' },
      { name: 'the list, a bad limit', path: '/api/users?limit=zero' },
      { name: 'no such route', path: '/api/users/T0FAST001/U0FAST001/a/b/c' },
      { name: 'a GET with a JSON body', path: '/api/users/T0FAST001/U0FAST001', headers: { 'content-type': 'application/json' }, body: '{"x":' },
      { name: 'a HEAD', path: '/api/users/T0FAST001/U0FAST001', method: 'HEAD' },
      { name: 'health', path: '/healthz', token: 'none' },
    ] as Probe[],
  ],
  [
    'weather',
    weatherService,
    [
      { name: 'the weather', path: '/api/weather?place=Paris' },
      { name: 'the weather, revalidated', path: '/api/weather?place=Paris', revalidate: true },
      { name: 'no place', path: '/api/weather' },
      { name: 'two places', path: '/api/weather?place=Paris&place=Lyon' },
      { name: 'a geocode', path: '/api/weather/geocode?place=Paris' },
      { name: 'no token', path: '/api/weather?place=Paris', token: 'none' },
      { name: 'a trailing slash', path: '/api/weather/?place=Paris' },
      { name: 'a HEAD', path: '/api/weather?place=Paris', method: 'HEAD' },
    ] as Probe[],
  ],
] as const)('the extracted %s service, with and without its fast path', (name, definition: ServiceDefinition, probes) => {
  let tokens: TokensStack;
  let openMeteo: OpenMeteoStandIn;
  let fast: RunningService;
  let plain: RunningService;
  let authorization: string;

  beforeAll(async () => {
    openMeteo = await startOpenMeteoStandIn();
    tokens = await startTokensStack();
    const config = serviceConfig({
      DATABASE_URL: tokens.db.url,
      TOKENS_JWKS_URL: `${tokens.service.url}/.well-known/jwks.json`,
      WEATHER_API_URL: openMeteo.forecastUrl,
      GEOCODING_API_URL: openMeteo.geocodingUrl,
    });
    const options = { config, port: 0, logger: quietLogger };
    fast = await startService(definition, { ...options, metrics: createMetrics({ defaults: false }) });
    plain = await startService(definition, { ...options, metrics: createMetrics({ defaults: false }), fastReads: false });
    const clientId = `fast-path-${name}`;
    const provider = createServiceTokenProvider({ tokenUrl: `${tokens.service.url}/oauth/token`, clientId, clientSecret: await tokens.register(clientId, [name]), audience: name });
    authorization = (await provider.headers()).authorization;
    if (name === 'users') {
      // To both (the second finds the member), so both count the same requests.
      for (const service of [plain, fast]) {
        const put = await fetch(`${service.url}/api/users/T0FAST001/U0FAST001`, { method: 'PUT', headers: { authorization, 'content-type': 'application/json' }, body: '{"displayName":"Fast"}' });
        expect(put.status).toBe(200);
      }
    }
  });
  afterAll(async () => {
    await fast?.close();
    await plain?.close();
    await tokens?.close();
    await openMeteo?.close();
  });

  function headersFor(probe: Probe, etag: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'x-request-id': `probe-${probe.name.replace(/\W+/g, '-')}`, ...probe.headers };
    if (probe.token === undefined) headers.authorization = authorization;
    else if (probe.token === 'malformed') headers.authorization = 'Bearer not a token';
    else if (probe.token === 'tampered') headers.authorization = `${authorization.slice(0, -4)}AAAA`;
    if (probe.revalidate && etag) headers['if-none-match'] = etag;
    return headers;
  }

  it('when the same requests are sent to both, then every answer is the same: status, headers and body', async () => {
    let etag: string | undefined;
    for (const probe of probes) {
      const headers = headersFor(probe, etag);
      const method = probe.method ?? 'GET';
      const expected = await send(plain.url, probe.path, method, headers, probe.body);
      const actual = await send(fast.url, probe.path, method, headers, probe.body);
      expect({ probe: probe.name, ...actual }).toEqual({ probe: probe.name, ...expected });
      if (expected.status === 200 && typeof expected.headers.etag === 'string') etag = expected.headers.etag;
    }
  });

  it('after the same requests, then both count them under the same routes and statuses', async () => {
    expect(await requestSeries(fast)).toEqual(await requestSeries(plain));
  });

  it('when a read is answered on the fast path, then it carries the request id, the JSON content type and an ETag', async () => {
    const path = name === 'users' ? '/api/users/T0FAST001/U0FAST001' : '/api/weather?place=Paris';
    const answer = await send(fast.url, path, 'GET', { authorization, 'x-request-id': 'req-fast-2' });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-request-id']).toBe('req-fast-2');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers.etag).toEqual(expect.stringMatching(/^W\/"/));
  });
});
