import Redis from 'ioredis';
import { startOpenMeteoStandIn, type OpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { createWeatherService, type WeatherService } from '../../src/modules/weather';
import { forecastKey, geocodeKey } from '../../src/modules/weather/weather.keys';
import { createMemoryCache, createRedisCache, type Cache } from '../../src/platform/cache';
import { runWithContext } from '../../src/platform/context';
import { createLogger } from '../../src/platform/logger';
import { createMetrics, type Metrics } from '../../src/platform/metrics';
import { describeWithRedis, uniquePrefix } from '../support/redis';

/** The in-process service against the Open-Meteo stand-in: caching, retries, budgets, coalescing, encoding. */

const logger = createLogger({ level: 'silent' });
const SEARCH = '/v1/search';
const FORECAST = '/v1/forecast';

let standIn: OpenMeteoStandIn;

beforeEach(async () => {
  standIn = await startOpenMeteoStandIn();
});
afterEach(() => standIn.close());

function service({ cache = createMemoryCache(), timeoutMs = 2000, metrics }: { cache?: Cache; timeoutMs?: number; metrics?: Metrics } = {}): WeatherService {
  return createWeatherService({
    provider: { forecastUrl: standIn.forecastUrl, geocodingUrl: standIn.geocodingUrl, timeoutMs },
    cache,
    logger,
    metrics,
  });
}

describe('wire format sent to Open-Meteo', () => {
  it('asks the geocoder for one English JSON result for the cleaned-up name', async () => {
    await service().geocode('  Paris  ');
    expect(standIn.requests.log[0]).toMatchObject({
      path: SEARCH,
      query: { name: 'Paris', count: '1', language: 'en', format: 'json' },
    });
  });

  it('asks the forecast for the five current variables at coordinates rounded to 2 decimals, in the local timezone', async () => {
    await service().current({ name: 'Paris', country: 'France', admin1: null, latitude: 48.85341, longitude: 2.3488, timezone: 'Europe/Paris' });
    const [request] = standIn.requests.log;
    expect(request).toMatchObject({
      path: FORECAST,
      query: {
        latitude: '48.85',
        longitude: '2.35',
        current: 'temperature_2m,apparent_temperature,relative_humidity_2m,weather_code,wind_speed_10m',
        timezone: 'auto',
      },
    });
    expect(request!.rawUrl).toContain('current=temperature_2m,apparent_temperature,');
  });

  it('sends non-ASCII names percent-encoded as UTF-8, composed (NFC)', async () => {
    const weather = service();
    await weather.geocode('São Paulo');
    await weather.geocode('Zu\u0308rich');
    const [saoPaulo, zurich] = standIn.requests.log;
    expect(saoPaulo!.rawUrl).toContain('name=S%C3%A3o+Paulo&');
    expect(saoPaulo!.query.name).toBe('São Paulo');
    expect(zurich!.rawUrl).toContain('name=Z%C3%BCrich&');
    expect(zurich!.query.name).toBe('Zürich');
  });
});

describe('caching', () => {
  it('when the same place is asked twice, however spelled, then Open-Meteo is asked once per endpoint', async () => {
    const weather = service();
    await weather.currentFor('Paris');
    await weather.currentFor('  PARIS ');
    expect(standIn.requests.countFor(SEARCH)).toBe(1);
    expect(standIn.requests.countFor(FORECAST)).toBe(1);
  });

  it('when two places round to the same coordinates, then they share one forecast request but keep their own names', async () => {
    const weather = service();
    const base = { country: null, admin1: null, timezone: 'UTC' };
    const a = await weather.current({ ...base, name: 'A', latitude: 10.001, longitude: 20.001 });
    const b = await weather.current({ ...base, name: 'B', latitude: 9.999, longitude: 19.999 });
    expect(standIn.requests.countFor(FORECAST)).toBe(1);
    expect([a.place.name, b.place.name]).toEqual(['A', 'B']);
    expect(b.temperatureC).toBe(a.temperatureC);
  });

  it('when a place is unknown, then asking again does not ask the geocoder again', async () => {
    const weather = service();
    await expect(weather.geocode('Atlantis')).rejects.toMatchObject({ code: 'WEATHER.PLACE_NOT_FOUND' });
    await expect(weather.geocode('atlantis')).rejects.toMatchObject({ code: 'WEATHER.PLACE_NOT_FOUND' });
    expect(standIn.requests.countFor(SEARCH)).toBe(1);
  });

  it('when a lookup fails, then nothing is cached and the next call asks again and succeeds', async () => {
    const weather = service();
    standIn.failNext(2, 503);
    await expect(weather.geocode('Lyon')).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE' });
    await expect(weather.geocode('Lyon')).resolves.toMatchObject({ name: 'Lyon' });
    expect(standIn.requests.countFor(SEARCH)).toBe(3);
  });

  it('when the cache holds something of the wrong shape, then it is a miss and the provider answers', async () => {
    const cache = createMemoryCache();
    await cache.set(geocodeKey('Tokyo'), { place: { name: 42 } }, 60_000);
    await cache.set(forecastKey(35.6895, 139.69171), 'garbage', 60_000);
    await expect(service({ cache }).currentFor('Tokyo')).resolves.toMatchObject({ place: { name: 'Tokyo' }, weatherCode: 1 });
    expect(standIn.requests.count).toBe(2);
  });
});

describe('provider failures', () => {
  it('when Open-Meteo answers 500 once, then the lookup is retried and succeeds', async () => {
    standIn.failNext(1, 500);
    await expect(service().geocode('London')).resolves.toMatchObject({ name: 'London' });
    expect(standIn.requests.countFor(SEARCH)).toBe(2);
  });

  it('when Open-Meteo answers 500 twice, then WEATHER.UNAVAILABLE (503) after exactly one retry', async () => {
    standIn.failNext(3, 500);
    await expect(service().geocode('London')).rejects.toMatchObject({
      code: 'WEATHER.UNAVAILABLE',
      status: 503,
      message: 'The weather service cannot be reached right now',
    });
    expect(standIn.requests.count).toBe(2);
  });

  it('when Open-Meteo answers 400, then WEATHER.UNAVAILABLE without a retry', async () => {
    standIn.failNext(1, 400);
    await expect(service().geocode('London')).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE' });
    expect(standIn.requests.count).toBe(1);
  });

  it('when Open-Meteo is slower than the budget, then WEATHER.UNAVAILABLE within the budget', async () => {
    standIn.delayNext(10_000, 2);
    const started = Date.now();
    await expect(service({ timeoutMs: 300 }).geocode('Tokyo')).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1000);
  });

  it('when Open-Meteo cannot be reached at all, then WEATHER.UNAVAILABLE', async () => {
    const gone = await startOpenMeteoStandIn();
    await gone.close();
    const weather = createWeatherService({
      provider: { forecastUrl: gone.forecastUrl, geocodingUrl: gone.geocodingUrl, timeoutMs: 1000 },
      cache: createMemoryCache(),
      logger,
    });
    await expect(weather.currentFor('Paris')).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE', status: 503 });
  });

  it.each([
    ['is not JSON', 'invalid-json'],
    ['is JSON of the wrong shape', 'wrong-shape'],
  ] as const)('when the geocoding answer %s, then WEATHER.UNAVAILABLE', async (_label, how) => {
    standIn.garbleNext(1, how);
    await expect(service().geocode('Paris')).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE', status: 503 });
  });

  it('when the forecast answer is JSON of the wrong shape, then WEATHER.UNAVAILABLE', async () => {
    const weather = service();
    const paris = await weather.geocode('Paris');
    standIn.garbleNext(1, 'wrong-shape');
    await expect(weather.current(paris)).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE', status: 503 });
  });
});

describe('coalescing concurrent lookups', () => {
  it('when 50 identical lookups arrive at once, then Open-Meteo is asked once per endpoint and all 50 get the answer', async () => {
    const weather = service();
    const answers = await Promise.all(Array.from({ length: 50 }, () => weather.currentFor('Tokyo')));
    expect(standIn.requests.countFor(SEARCH)).toBe(1);
    expect(standIn.requests.countFor(FORECAST)).toBe(1);
    expect(new Set(answers.map((a) => a.place.name))).toEqual(new Set(['Tokyo']));
  });

  it('when a burst meets a failing provider, then every caller gets the one failure and the provider is asked once (plus its retry)', async () => {
    const weather = service();
    standIn.failNext(2, 502);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => weather.geocode('Lyon')));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'WEATHER.UNAVAILABLE')).toBe(true);
    expect(standIn.requests.count).toBe(2);
  });
});

describe('metrics', () => {
  it('counts cache hits and misses and provider outcomes by endpoint', async () => {
    const metrics = createMetrics({ defaults: false });
    const weather = service({ metrics });
    standIn.failNext(1, 500);
    await weather.currentFor('Paris');
    await weather.currentFor('Paris');
    const text = await metrics.registry.metrics();
    expect(text).toContain('jeeves_weather_cache_lookups_total{endpoint="geocoding",result="miss"} 1');
    expect(text).toContain('jeeves_weather_cache_lookups_total{endpoint="geocoding",result="hit"} 1');
    expect(text).toContain('jeeves_weather_cache_lookups_total{endpoint="forecast",result="hit"} 1');
    expect(text).toContain('jeeves_weather_provider_requests_total{endpoint="geocoding",outcome="http_error"} 1');
    expect(text).toContain('jeeves_weather_provider_requests_total{endpoint="geocoding",outcome="ok"} 1');
    expect(text).toContain('jeeves_weather_provider_requests_total{endpoint="forecast",outcome="ok"} 1');
  });

  it('lets two services share one registry without a duplicate-metric error', () => {
    const metrics = createMetrics({ defaults: false });
    service({ metrics });
    expect(() => service({ metrics })).not.toThrow();
  });
});

describeWithRedis('weather over a Redis cache', (redisUrl) => {
  let redis: Redis;
  let prefix: string;

  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  beforeEach(() => {
    prefix = `${uniquePrefix('weather')}:`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(() => redis.quit());

  it('when a second service (another process) asks for a cached place, then Open-Meteo is not asked again', async () => {
    await service({ cache: createRedisCache({ redis, prefix }) }).currentFor('New York');
    const other = service({ cache: createRedisCache({ redis, prefix }) });
    await expect(other.currentFor('new york')).resolves.toMatchObject({ place: { name: 'New York' }, weatherCode: 0 });
    expect(standIn.requests.count).toBe(2);
  });

  it('stores entries that expire: places after about 7 days, forecasts after about 10 minutes', async () => {
    await service({ cache: createRedisCache({ redis, prefix }) }).currentFor('Tokyo');
    const placeTtl = await redis.pttl(prefix + geocodeKey('Tokyo'));
    const forecastTtl = await redis.pttl(prefix + forecastKey(35.6895, 139.69171));
    expect(placeTtl).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
    expect(placeTtl).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    expect(forecastTtl).toBeGreaterThan(10 * 60 * 1000 - 60_000);
    expect(forecastTtl).toBeLessThanOrEqual(10 * 60 * 1000);
  });
});

describe('the log of whichever process serves a lookup', () => {
  it('has one info line per answer, with the place and the request id of the call', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    const weather = createWeatherService({
      provider: { forecastUrl: standIn.forecastUrl, geocodingUrl: standIn.geocodingUrl, timeoutMs: 2000 },
      cache: createMemoryCache(),
      logger: createLogger({ level: 'info', destination }),
    });

    await runWithContext({ requestId: 'req-weather-1' }, () => weather.currentFor('Paris'));

    expect(lines.filter((l) => l.msg === 'current weather served')).toEqual([
      expect.objectContaining({ level: 30, module: 'weather', place: 'Paris', country: 'France', requestId: 'req-weather-1' }),
    ]);
  });
});
