import { remoteHeaders } from '../../src/platform/remote';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Express } from 'express';
import { startOpenMeteoStandIn, type OpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { createApp } from '../../src/platform/app';
import {
  createWeatherHttpClient,
  createWeatherService,
  WEATHER_API_PATH,
  weatherRouter,
  type CurrentWeather,
} from '../../src/modules/weather';
import { currentWeatherSchema, placeSchema } from '../../src/modules/weather/weather.schemas';
import { createMemoryCache } from '../../src/platform/cache';
import { runWithContext } from '../../src/platform/context';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';

/** The HTTP adapter (status codes, error bodies) and the HTTP client against remotes that misbehave. */

const logger = createLogger({ level: 'silent' });

describe('weather HTTP adapter at /api/weather', () => {
  let standIn: OpenMeteoStandIn;
  let app: Express;

  beforeAll(async () => {
    standIn = await startOpenMeteoStandIn();
    const weather = createWeatherService({
      provider: { forecastUrl: standIn.forecastUrl, geocodingUrl: standIn.geocodingUrl, timeoutMs: 1000 },
      cache: createMemoryCache(),
      logger,
    });
    app = createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: WEATHER_API_PATH, router: weatherRouter({ weather }) }] });
  });
  afterAll(() => standIn.close());

  it('GET /api/weather?place= answers 200 with CurrentWeather', async () => {
    const res = await request(app).get('/api/weather').query({ place: 'Lyon' }).expect(200);
    expect(currentWeatherSchema.parse(res.body)).toMatchObject({ place: { name: 'Lyon' }, description: 'partly cloudy' });
  });

  it('GET /api/weather/geocode?place= answers 200 with the Place', async () => {
    const res = await request(app).get('/api/weather/geocode').query({ place: 'Tokyo' }).expect(200);
    expect(placeSchema.parse(res.body)).toMatchObject({ name: 'Tokyo', timezone: 'Asia/Tokyo' });
  });

  it('POST /api/weather/current with a Place answers 200 with CurrentWeather for it', async () => {
    const place = { name: 'Somewhere', country: null, admin1: null, latitude: 1, longitude: 2, timezone: 'UTC' };
    const res = await request(app).post('/api/weather/current').send(place).expect(200);
    expect(res.body.place).toEqual(place);
  });

  it('when place is missing, then 400 HTTP.VALIDATION saying it is required', async () => {
    const res = await request(app).get('/api/weather').expect(400);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'HTTP.VALIDATION', message: 'place: is required' }) });
  });

  it('when place is given twice, then 400 HTTP.VALIDATION', async () => {
    const res = await request(app).get('/api/weather?place=Paris&place=Lyon').expect(400);
    expect(res.body.error).toMatchObject({ code: 'HTTP.VALIDATION', message: 'place: must be one string' });
  });

  it('when the place is unknown, then 404 WEATHER.PLACE_NOT_FOUND naming it', async () => {
    const res = await request(app).get('/api/weather/geocode').query({ place: 'Nowhereville' }).expect(404);
    expect(res.body.error.code).toBe('WEATHER.PLACE_NOT_FOUND');
    expect(res.body.error.message).toContain('Nowhereville');
  });

  it('when the POSTed place lacks a field, then 400 HTTP.VALIDATION naming the field', async () => {
    const res = await request(app).post('/api/weather/current').send({ name: 'X', country: null, admin1: null, latitude: 1, timezone: 'UTC' }).expect(400);
    expect(res.body.error.code).toBe('HTTP.VALIDATION');
    expect(res.body.error.message).toMatch(/^longitude: /);
  });

  it('when the POSTed body is not JSON, then 400 HTTP.MALFORMED_JSON and the provider is not asked', async () => {
    standIn.requests.clear();
    const res = await request(app).post('/api/weather/current').set('content-type', 'application/json').send('{"name":').expect(400);
    expect(res.body.error.code).toBe('HTTP.MALFORMED_JSON');
    expect(standIn.requests.count).toBe(0);
  });

  it('when Open-Meteo is down, then 503 WEATHER.UNAVAILABLE with the plain message', async () => {
    standIn.failNext(2, 500);
    const res = await request(app).get('/api/weather').query({ place: 'Atlantic City' }).expect(503);
    expect(res.body).toEqual({ error: { code: 'WEATHER.UNAVAILABLE', message: 'The weather service cannot be reached right now' } });
  });
});

/** A remote that answers whatever the test says, recording what it was sent. */
interface FakeRemote {
  baseUrl: string;
  seen: Array<{ url: string; headers: IncomingHttpHeaders }>;
  answer: (res: http.ServerResponse) => void;
  close(): Promise<void>;
}

async function startFakeRemote(): Promise<FakeRemote> {
  const remote: FakeRemote = {
    baseUrl: '',
    seen: [],
    answer: (res) => res.writeHead(500).end(),
    close: async () => undefined,
  };
  const server: Server = http.createServer((req, res) => {
    remote.seen.push({ url: req.url ?? '', headers: req.headers });
    remote.answer(res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  remote.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  remote.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return remote;
}

const json = (status: number, body: unknown) => (res: http.ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const TOKYO: CurrentWeather = {
  place: { name: 'Tokyo', country: 'Japan', admin1: 'Tokyo', latitude: 35.6895, longitude: 139.69171, timezone: 'Asia/Tokyo' },
  observedAt: '2026-11-20T14:15',
  temperatureC: 14.6,
  apparentTemperatureC: 13.9,
  humidityPct: 60,
  windSpeedKmh: 6.1,
  weatherCode: 1,
  description: 'mainly clear',
};

describe('weather HTTP client against a misbehaving remote', () => {
  let remote: FakeRemote;

  beforeEach(async () => {
    remote = await startFakeRemote();
  });
  afterEach(() => remote.close());

  it('sends what headers() returns: the switch passes remoteHeaders, with the request id, the trace and a token', async () => {
    remote.answer = json(200, TOKYO);
    const trace = remoteHeaders();
    const client = createWeatherHttpClient({ baseUrl: remote.baseUrl, headers: async () => ({ ...(await trace()), authorization: 'Bearer service-jwt' }) });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await runWithContext({ requestId: 'req-123', traceparent }, () => client.currentFor('Tokyo'));
    expect(remote.seen[0]!.headers).toMatchObject({
      authorization: 'Bearer service-jwt',
      'x-request-id': 'req-123',
      traceparent: expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/),
    });
  });

  it('keeps a path prefix of the base URL and encodes the place as UTF-8', async () => {
    remote.answer = json(200, TOKYO.place);
    await createWeatherHttpClient({ baseUrl: `${remote.baseUrl}/jeeves` }).geocode('São Paulo');
    expect(remote.seen[0]!.url).toBe('/jeeves/api/weather/geocode?place=S%C3%A3o+Paulo');
  });

  it.each([
    ['answers 500 with an HTML page', (res: http.ServerResponse) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>')],
    ['answers 502 with no body', (res: http.ServerResponse) => res.writeHead(502).end()],
    ['answers 404 from a server that is not Jeeves', json(404, { message: 'not here' })],
    ['answers 200 with JSON of the wrong shape', json(200, { temperature: 'warm' })],
    ['answers 200 with something that is not JSON', (res: http.ServerResponse) => res.writeHead(200).end('{{{')],
  ])('when the remote %s, then WEATHER.UNAVAILABLE (503)', async (_label, answer) => {
    remote.answer = answer;
    await expect(createWeatherHttpClient({ baseUrl: remote.baseUrl }).currentFor('Tokyo')).rejects.toMatchObject({
      code: 'WEATHER.UNAVAILABLE',
      status: 503,
      message: 'The weather service cannot be reached right now',
    });
  });

  it('when the remote does not answer within timeoutMs, then WEATHER.UNAVAILABLE without waiting longer', async () => {
    remote.answer = () => undefined;
    const started = Date.now();
    await expect(createWeatherHttpClient({ baseUrl: remote.baseUrl, timeoutMs: 200 }).currentFor('Tokyo')).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when the remote cannot be reached, then WEATHER.UNAVAILABLE', async () => {
    const { baseUrl } = remote;
    await remote.close();
    await expect(createWeatherHttpClient({ baseUrl }).geocode('Tokyo')).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE', status: 503 });
  });

  it('when the remote reports an error by code, then the same code, status and message reach the caller', async () => {
    remote.answer = json(404, { error: { code: 'WEATHER.PLACE_NOT_FOUND', message: 'No place called "Atlantis" was found.' } });
    await expect(createWeatherHttpClient({ baseUrl: remote.baseUrl }).geocode('Atlantis')).rejects.toMatchObject({
      code: 'WEATHER.PLACE_NOT_FOUND',
      status: 404,
      message: 'No place called "Atlantis" was found.',
    });
  });
});
