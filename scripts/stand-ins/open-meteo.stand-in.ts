import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Open-Meteo: /v1/search (geocoding) and /v1/forecast in the provider's real wire
 * shapes (../shared/samples/open-meteo-*.json), so Jeeves' real client code runs end to end
 * in tests and offline. Deterministic: each place always reports the same weather.
 * Tests steer it (failNext, delayNext, garbleNext, setPlace) and read what it was asked.
 *
 * Offline: `npx tsx scripts/stand-ins/open-meteo.stand-in.ts [port]` prints the two URLs to export.
 */

/** The `current=` variables the stand-in can report, in Open-Meteo's names and units. */
export interface StandInWeather {
  temperature_2m: number;
  apparent_temperature: number;
  relative_humidity_2m: number;
  weather_code: number;
  wind_speed_10m: number;
}

/** A geocoding result as Open-Meteo sends it, plus the weather the forecast reports there. */
export interface StandInPlace {
  id: number;
  name: string;
  latitude: number;
  longitude: number;
  elevation: number;
  feature_code: string;
  country_code?: string;
  admin1_id?: number;
  timezone: string;
  population?: number;
  country_id?: number;
  country?: string;
  admin1?: string;
  weather: StandInWeather;
}

export type StandInPlaceInput = Pick<StandInPlace, 'name' | 'latitude' | 'longitude' | 'timezone'> & Partial<StandInPlace>;

// Real coordinates, zones and GeoNames ids; the weather is made up but fixed.
export const BUILT_IN_PLACES: readonly StandInPlace[] = [
  { id: 2988507, name: 'Paris', latitude: 48.85341, longitude: 2.3488, elevation: 42, feature_code: 'PPLC', country_code: 'FR', admin1_id: 3012874, timezone: 'Europe/Paris', population: 2138551, country_id: 3017382, country: 'France', admin1: 'Île-de-France', weather: { temperature_2m: 9.4, apparent_temperature: 6.8, relative_humidity_2m: 81, weather_code: 3, wind_speed_10m: 14.2 } },
  { id: 2996944, name: 'Lyon', latitude: 45.74846, longitude: 4.84671, elevation: 173, feature_code: 'PPLA', country_code: 'FR', admin1_id: 11071625, timezone: 'Europe/Paris', population: 522969, country_id: 3017382, country: 'France', admin1: 'Auvergne-Rhône-Alpes', weather: { temperature_2m: 11.2, apparent_temperature: 9.8, relative_humidity_2m: 72, weather_code: 2, wind_speed_10m: 8.6 } },
  { id: 2643743, name: 'London', latitude: 51.50853, longitude: -0.12574, elevation: 25, feature_code: 'PPLC', country_code: 'GB', admin1_id: 6269131, timezone: 'Europe/London', population: 8961989, country_id: 2635167, country: 'United Kingdom', admin1: 'England', weather: { temperature_2m: 8.1, apparent_temperature: 5, relative_humidity_2m: 88, weather_code: 61, wind_speed_10m: 18.4 } },
  { id: 5128581, name: 'New York', latitude: 40.71427, longitude: -74.00597, elevation: 10, feature_code: 'PPL', country_code: 'US', admin1_id: 5128638, timezone: 'America/New_York', population: 8804190, country_id: 6252001, country: 'United States', admin1: 'New York', weather: { temperature_2m: 4.3, apparent_temperature: 0.9, relative_humidity_2m: 55, weather_code: 0, wind_speed_10m: 21 } },
  { id: 1850147, name: 'Tokyo', latitude: 35.6895, longitude: 139.69171, elevation: 44, feature_code: 'PPLC', country_code: 'JP', admin1_id: 1850144, timezone: 'Asia/Tokyo', population: 9733276, country_id: 1861060, country: 'Japan', admin1: 'Tokyo', weather: { temperature_2m: 14.6, apparent_temperature: 13.9, relative_humidity_2m: 60, weather_code: 1, wind_speed_10m: 6.1 } },
  { id: 3448439, name: 'São Paulo', latitude: -23.5475, longitude: -46.63611, elevation: 769, feature_code: 'PPLA', country_code: 'BR', admin1_id: 3448433, timezone: 'America/Sao_Paulo', population: 10021295, country_id: 3469034, country: 'Brazil', admin1: 'São Paulo', weather: { temperature_2m: 24.8, apparent_temperature: 26.1, relative_humidity_2m: 74, weather_code: 80, wind_speed_10m: 9.7 } },
  { id: 2657896, name: 'Zürich', latitude: 47.36667, longitude: 8.55, elevation: 429, feature_code: 'PPLA', country_code: 'CH', admin1_id: 2657895, timezone: 'Europe/Zurich', population: 341730, country_id: 2658434, country: 'Switzerland', admin1: 'Zurich', weather: { temperature_2m: -1.2, apparent_temperature: -4.6, relative_humidity_2m: 90, weather_code: 71, wind_speed_10m: 5.4 } },
];

export interface StandInRequest {
  method: string;
  /** /v1/search or /v1/forecast */
  path: string;
  /** Path and query exactly as received (still percent-encoded). */
  rawUrl: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
}

export interface OpenMeteoStandIn {
  url: string;
  /** Export as GEOCODING_API_URL. */
  geocodingUrl: string;
  /** Export as WEATHER_API_URL. */
  forecastUrl: string;
  requests: {
    readonly count: number;
    readonly log: readonly StandInRequest[];
    countFor(path: '/v1/search' | '/v1/forecast'): number;
    clear(): void;
  };
  /** The next n requests answer `status` with Open-Meteo's error body. */
  failNext(n: number, status?: number): void;
  /** The next n requests answer 200 with a body that is not JSON, or JSON of the wrong shape. */
  garbleNext(n: number, how?: 'invalid-json' | 'wrong-shape'): void;
  /** The next n requests wait ms before being handled. */
  delayNext(ms: number, n?: number): void;
  setPlace(place: StandInPlaceInput): void;
  removePlace(name: string): void;
  close(): Promise<void>;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** Same coordinates, same weather: a stable hash spread into plausible ranges. */
function weatherAt(latitude: number, longitude: number): StandInWeather {
  let h = 2166136261;
  for (const ch of `${latitude.toFixed(2)},${longitude.toFixed(2)}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const pick = (range: number, shift: number) => ((h >>> shift) % range);
  const temperature = Math.round((pick(350, 0) / 10 - 5) * 10) / 10;
  return {
    temperature_2m: temperature,
    apparent_temperature: Math.round((temperature - pick(40, 8) / 10) * 10) / 10,
    relative_humidity_2m: 30 + pick(70, 12),
    weather_code: [0, 1, 2, 3, 45, 61, 80][pick(7, 16)]!,
    wind_speed_10m: pick(300, 20) / 10,
  };
}

function zoneParts(timeZone: string, at: Date): { local: string; offsetSeconds: number; abbreviation: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const abbreviation = parts.timeZoneName ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/u.exec(abbreviation);
  const offsetSeconds = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
  const minute = String(Math.floor(Number(parts.minute) / 15) * 15).padStart(2, '0');
  return { local: `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${minute}`, offsetSeconds, abbreviation };
}

type Answer = { status: number; body: unknown } | { status: number; raw: string };

export async function startOpenMeteoStandIn({ port = 0, host = '127.0.0.1' }: { port?: number; host?: string } = {}): Promise<OpenMeteoStandIn> {
  const places = new Map<string, StandInPlace>(BUILT_IN_PLACES.map((p) => [fold(p.name), p]));
  const log: StandInRequest[] = [];
  const failures: number[] = [];
  const garbles: Array<'invalid-json' | 'wrong-shape'> = [];
  const delays: number[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const error = (reason: string): Answer => ({ status: 400, body: { error: true, reason } });

  function search(query: URLSearchParams): Answer {
    const name = query.get('name');
    if (name === null) return error("Parameter 'name' is required");
    const count = Math.min(100, Math.max(1, Number(query.get('count') ?? 10) || 10));
    const wanted = fold(name);
    // Like Open-Meteo: nothing under two characters; exact names first, then prefixes.
    const all = [...places.values()];
    const matches = wanted.length < 2 ? [] : [...all.filter((p) => fold(p.name) === wanted), ...all.filter((p) => wanted.length >= 3 && fold(p.name) !== wanted && fold(p.name).startsWith(wanted))];
    const results = matches.slice(0, count).map(({ weather: _weather, ...place }) => place);
    return { status: 200, body: results.length > 0 ? { results, generationtime_ms: 0.6 } : { generationtime_ms: 0.6 } };
  }

  function forecast(query: URLSearchParams): Answer {
    const latitude = Number(query.get('latitude'));
    const longitude = Number(query.get('longitude'));
    if (!query.has('latitude') || !Number.isFinite(latitude) || latitude < -90 || latitude > 90) return error(`Latitude must be in range of -90 to 90°. Given: ${query.get('latitude')}.`);
    if (!query.has('longitude') || !Number.isFinite(longitude) || longitude < -180 || longitude > 180) return error(`Longitude must be in range of -180 to 180°. Given: ${query.get('longitude')}.`);
    const variables = (query.get('current') ?? '').split(',').filter((v) => v !== '');
    const near = [...places.values()].find((p) => Math.abs(p.latitude - latitude) <= 0.1 && Math.abs(p.longitude - longitude) <= 0.1);
    const weather = near?.weather ?? weatherAt(latitude, longitude);
    const unknown = variables.find((v) => !(v in weather));
    if (unknown) return error(`Cannot initialize WeatherVariable from invalid String value ${unknown}.`);
    const requestedZone = query.get('timezone');
    const timezone = requestedZone === 'auto' ? (near?.timezone ?? 'GMT') : (requestedZone ?? 'GMT');
    const zone = zoneParts(timezone, new Date());
    const units: Record<string, string> = { temperature_2m: '°C', apparent_temperature: '°C', relative_humidity_2m: '%', weather_code: 'wmo code', wind_speed_10m: 'km/h' };
    const pickVars = <T>(f: (v: keyof StandInWeather) => T) => Object.fromEntries(variables.map((v) => [v, f(v as keyof StandInWeather)]));
    return {
      status: 200,
      body: {
        latitude: Math.round(latitude * 100) / 100,
        longitude: Math.round(longitude * 100) / 100,
        generationtime_ms: 0.05,
        utc_offset_seconds: zone.offsetSeconds,
        timezone,
        timezone_abbreviation: zone.abbreviation,
        elevation: near?.elevation ?? 0,
        ...(variables.length > 0
          ? {
              current_units: { time: 'iso8601', interval: 'seconds', ...pickVars((v) => units[v]) },
              current: { time: zone.local, interval: 900, ...pickVars((v) => weather[v]) },
            }
          : {}),
      },
    };
  }

  function answer(path: string, query: URLSearchParams): Answer {
    const failing = failures.shift();
    if (failing !== undefined) return { status: failing, body: { error: true, reason: `stand-in told to fail with ${failing}` } };
    const garble = garbles.shift();
    if (garble === 'invalid-json') return { status: 200, raw: '<html>Bad gateway</html>' };
    if (garble === 'wrong-shape') return { status: 200, body: { results: 'nonsense', current: { time: 42 } } };
    if (path === '/v1/search') return search(query);
    if (path === '/v1/forecast') return forecast(query);
    return { status: 404, body: { error: true, reason: 'Not Found' } };
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    log.push({ method: req.method ?? 'GET', path: url.pathname, rawUrl: req.url ?? '/', query: Object.fromEntries(url.searchParams) });
    const respond = () => {
      if (res.destroyed) return;
      const result = answer(url.pathname, url.searchParams);
      res.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end('raw' in result ? result.raw : JSON.stringify(result.body));
    };
    const delay = delays.shift();
    if (delay === undefined) return respond();
    const timer = setTimeout(() => {
      timers.delete(timer);
      respond();
    }, delay);
    timers.add(timer);
  });
  server.listen(port, host);
  await once(server, 'listening');
  const { port: actualPort } = server.address() as AddressInfo;
  const base = `http://${host}:${actualPort}`;

  return {
    url: base,
    geocodingUrl: `${base}/v1/search`,
    forecastUrl: `${base}/v1/forecast`,
    requests: {
      get count() {
        return log.length;
      },
      get log() {
        return log;
      },
      countFor: (path) => log.filter((r) => r.path === path).length,
      clear: () => {
        log.length = 0;
      },
    },
    failNext: (n, status = 500) => failures.push(...Array<number>(n).fill(status)),
    garbleNext: (n, how = 'invalid-json') => garbles.push(...Array<typeof how>(n).fill(how)),
    delayNext: (ms, n = 1) => delays.push(...Array<number>(n).fill(ms)),
    setPlace: (input) => {
      const place: StandInPlace = { id: 9_000_000 + places.size, elevation: 0, feature_code: 'PPL', weather: weatherAt(input.latitude, input.longitude), ...input };
      places.set(fold(place.name), place);
    },
    removePlace: (name) => {
      places.delete(fold(name));
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Delayed requests hold their sockets open; close() alone would wait for them.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? process.env.OPEN_METEO_STAND_IN_PORT ?? 8089);
  void startOpenMeteoStandIn({ port }).then((standIn) => {
    process.stdout.write(
      [
        `Open-Meteo stand-in on ${standIn.url}, knowing ${BUILT_IN_PLACES.map((p) => p.name).join(', ')}.`,
        'Point Jeeves at it:',
        `  export GEOCODING_API_URL=${standIn.geocodingUrl}`,
        `  export WEATHER_API_URL=${standIn.forecastUrl}`,
        'Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
    const stop = () => void standIn.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
