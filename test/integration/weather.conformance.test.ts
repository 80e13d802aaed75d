import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUILT_IN_PLACES, startOpenMeteoStandIn, type OpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { createApp } from '../../src/platform/app';
import {
  createFakeWeatherService,
  createWeatherHttpClient,
  createWeatherService,
  WEATHER_API_PATH,
  weatherRouter,
  type FakePlace,
  type Place,
  type WeatherService,
} from '../../src/modules/weather';
import { describeWeatherCode } from '../../src/modules/weather/weather.codes';
import { createMemoryCache } from '../../src/platform/cache';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { weatherService } from '../../extracted/weather/main';
import { startExtracted } from './extracted.support';

/**
 * The WeatherService contract, written once and run against every implementation: the
 * in-process service on the real Open-Meteo client, the HTTP client through the real
 * adapter, and the fake other modules test with.
 */

interface Subject {
  weather: WeatherService;
  close(): Promise<void>;
}

const logger = createLogger({ level: 'silent' });

async function inProcess(standIn: OpenMeteoStandIn): Promise<WeatherService> {
  return createWeatherService({
    provider: { forecastUrl: standIn.forecastUrl, geocodingUrl: standIn.geocodingUrl, timeoutMs: 2000 },
    cache: createMemoryCache(),
    logger,
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const implementations: Array<[string, () => Promise<Subject>]> = [
  [
    'in-process service → Open-Meteo stand-in',
    async () => {
      const standIn = await startOpenMeteoStandIn();
      return { weather: await inProcess(standIn), close: () => standIn.close() };
    },
  ],
  [
    'HTTP client → weather router → in-process service → Open-Meteo stand-in',
    async () => {
      const standIn = await startOpenMeteoStandIn();
      const app = createApp({
        logger,
        metrics: createMetrics({ defaults: false }),
        readiness: {},
        routes: [{ path: WEATHER_API_PATH, router: weatherRouter({ weather: await inProcess(standIn) }) }],
      });
      const server = app.listen(0, '127.0.0.1');
      const baseUrl = await listen(server);
      return {
        weather: createWeatherHttpClient({ baseUrl, timeoutMs: 3000 }),
        close: async () => {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
          await standIn.close();
        },
      };
    },
  ],
  [
    'fake, knowing the stand-in places',
    async () => {
      const places: FakePlace[] = BUILT_IN_PLACES.map((p) => ({
        name: p.name,
        country: p.country ?? null,
        admin1: p.admin1 ?? null,
        latitude: p.latitude,
        longitude: p.longitude,
        timezone: p.timezone,
        weather: {
          temperatureC: p.weather.temperature_2m,
          apparentTemperatureC: p.weather.apparent_temperature,
          humidityPct: p.weather.relative_humidity_2m,
          weatherCode: p.weather.weather_code,
          windSpeedKmh: p.weather.wind_speed_10m,
        },
      }));
      return { weather: createFakeWeatherService({ places }), close: async () => undefined };
    },
  ],
  [
    'remote: extracted service (HTTP client with a service token; answers checked against /openapi.json)',
    async () => {
      const standIn = await startOpenMeteoStandIn();
      const stack = await startExtracted(weatherService, { WEATHER_API_URL: standIn.forecastUrl, GEOCODING_API_URL: standIn.geocodingUrl });
      return {
        weather: createWeatherHttpClient({ baseUrl: stack.checkedUrl, headers: stack.headers, timeoutMs: 3000 }),
        close: async () => {
          await stack.close();
          await standIn.close();
        },
      };
    },
  ],
];

const LONDON: Place = { name: 'London', country: 'United Kingdom', admin1: 'England', latitude: 51.50853, longitude: -0.12574, timezone: 'Europe/London' };
const OPEN_SEA: Place = { name: 'Mid-Atlantic', country: null, admin1: null, latitude: 30, longitude: -40, timezone: 'UTC' };
const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

describe.each(implementations)('WeatherService conformance: %s', (_name, start) => {
  let subject: Subject;
  let weather: WeatherService;

  beforeAll(async () => {
    subject = await start();
    weather = subject.weather;
  });
  afterAll(() => subject.close());

  it('geocodes a place name to its best match with country, region, coordinates and timezone', async () => {
    await expect(weather.geocode('Paris')).resolves.toEqual({
      name: 'Paris',
      country: 'France',
      admin1: 'Île-de-France',
      latitude: 48.85341,
      longitude: 2.3488,
      timezone: 'Europe/Paris',
    });
  });

  it('geocodes regardless of case, surrounding spaces and repeated inner spaces', async () => {
    await expect(weather.geocode('  new   YORK ')).resolves.toMatchObject({ name: 'New York', timezone: 'America/New_York' });
  });

  it('keeps non-ASCII names intact, and reads a decomposed ü as the composed one', async () => {
    await expect(weather.geocode('São Paulo')).resolves.toMatchObject({ name: 'São Paulo', country: 'Brazil' });
    await expect(weather.geocode('Zu\u0308rich')).resolves.toMatchObject({ name: 'Zürich', timezone: 'Europe/Zurich' });
  });

  it('reports the current conditions for a place name, the weather code in words', async () => {
    const report = await weather.currentFor('Paris');
    expect(report).toMatchObject({
      place: { name: 'Paris', timezone: 'Europe/Paris' },
      temperatureC: 9.4,
      apparentTemperatureC: 6.8,
      humidityPct: 81,
      windSpeedKmh: 14.2,
      weatherCode: 3,
      description: 'overcast',
    });
    expect(report.observedAt).toMatch(LOCAL_MINUTE);
  });

  it('reports below-zero temperatures as negative numbers', async () => {
    await expect(weather.currentFor('Zürich')).resolves.toMatchObject({ temperatureC: -1.2, apparentTemperatureC: -4.6, description: 'snow' });
  });

  it('reports the current conditions for a given place and echoes that place back unchanged', async () => {
    const report = await weather.current(LONDON);
    expect(report.place).toEqual(LONDON);
    expect(report).toMatchObject({ weatherCode: 61, description: 'rain', temperatureC: 8.1 });
  });

  it('answers for coordinates no geocoder result names', async () => {
    const report = await weather.current(OPEN_SEA);
    expect(report.place).toEqual(OPEN_SEA);
    expect(report.description).toBe(describeWeatherCode(report.weatherCode));
    expect(Number.isFinite(report.temperatureC)).toBe(true);
    expect(report.humidityPct).toBeGreaterThanOrEqual(0);
    expect(report.humidityPct).toBeLessThanOrEqual(100);
  });

  it('when the place is unknown, then WEATHER.PLACE_NOT_FOUND (404) naming it', async () => {
    const failure = weather.currentFor('Atlantis Nowhere');
    await expect(failure).rejects.toMatchObject({ code: 'WEATHER.PLACE_NOT_FOUND', status: 404 });
    await expect(failure).rejects.toThrow('Atlantis Nowhere');
  });

  it.each([
    ['empty', ''],
    ['blank', '   \t '],
  ])('when the query is %s, then HTTP.VALIDATION (400) saying so', async (_label, query) => {
    await expect(weather.geocode(query)).rejects.toMatchObject({ code: 'HTTP.VALIDATION', status: 400, message: 'place: must not be empty' });
  });

  it('when the query is over 100 characters, then HTTP.VALIDATION (400); at exactly 100 it is looked up', async () => {
    await expect(weather.currentFor('x'.repeat(101))).rejects.toMatchObject({
      code: 'HTTP.VALIDATION',
      status: 400,
      message: 'place: must be at most 100 characters',
    });
    await expect(weather.currentFor('x'.repeat(100))).rejects.toMatchObject({ code: 'WEATHER.PLACE_NOT_FOUND' });
  });

  it('when the place has an impossible latitude, then HTTP.VALIDATION (400) naming the field', async () => {
    const failure = weather.current({ ...LONDON, latitude: 123 });
    await expect(failure).rejects.toMatchObject({ code: 'HTTP.VALIDATION', status: 400 });
    await expect(failure).rejects.toThrow(/^latitude: /);
  });
});
