import type { z } from 'zod';
import { deadlineIn, send, type RawResponse } from '../../platform/http-transport';
import { SpanKind, traced, tracingActive } from '../../platform/tracing';
import { WeatherUnavailableError } from './weather.errors';
import type { Reading } from './weather.schemas';
import type { Place } from './weather.types';
import { CURRENT_VARIABLES, forecastResponseSchema, geocodingResponseSchema } from './open-meteo.schemas';

/** Where Open-Meteo is, and how long one lookup (retry included) may take. */
export interface OpenMeteoConfig {
  forecastUrl: string;
  geocodingUrl: string;
  /** Budget for one lookup, retry included. Default 3000 ms. */
  timeoutMs?: number;
}

export interface WeatherProvider {
  /** Best match, or null when the geocoder knows no such place. */
  search(query: string): Promise<Place | null>;
  forecast(latitude: number, longitude: number): Promise<Reading>;
}

export type ProviderEndpoint = 'geocoding' | 'forecast';
export type ProviderOutcome = 'ok' | 'timeout' | 'unreachable' | 'http_error' | 'invalid';
export interface ProviderEvent {
  endpoint: ProviderEndpoint;
  outcome: ProviderOutcome;
  attempt: number;
  status?: number;
  error?: unknown;
}
/** Told about every attempt, so the service can count and log without the provider knowing how. */
export type ProviderObserver = (event: ProviderEvent) => void;

export const DEFAULT_PROVIDER_TIMEOUT_MS = 3000;
const MAX_ATTEMPTS = 2;

export function createOpenMeteoProvider(config: OpenMeteoConfig, observe: ProviderObserver = () => undefined): WeatherProvider {
  const budgetMs = config.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;

  /** With tracing on, a CLIENT span: where a slow weather answer spent its time. */
  function getJson<S extends z.ZodType>(endpoint: ProviderEndpoint, url: URL, schema: S): Promise<z.infer<S>> {
    if (!tracingActive()) return attempts(endpoint, url, schema);
    return traced(`Open-Meteo ${endpoint}`, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'server.address': url.host, 'url.path': url.pathname } }, () =>
      attempts(endpoint, url, schema),
    );
  }

  /** GET with one retry on network error or 5xx, both attempts inside one time budget. */
  async function attempts<S extends z.ZodType>(endpoint: ProviderEndpoint, url: URL, schema: S): Promise<z.infer<S>> {
    const deadline = Date.now() + budgetMs;
    let lastError: unknown;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      let response: RawResponse;
      try {
        // The deadline also covers reading the body: a provider that stalls mid-answer times out too.
        response = await send(url, { headers: { accept: 'application/json' }, deadline: deadlineIn(remaining) });
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError';
        observe({ endpoint, outcome: timedOut ? 'timeout' : 'unreachable', attempt, error: err });
        lastError = err;
        if (timedOut) break;
        continue;
      }
      const { text } = response;
      if (response.status >= 500) {
        observe({ endpoint, outcome: 'http_error', attempt, status: response.status });
        lastError = new Error(`Open-Meteo ${endpoint} answered ${response.status}`);
        continue;
      }
      if (response.status >= 400) {
        // A 4xx means Jeeves asked wrongly; asking again the same way will not help.
        observe({ endpoint, outcome: 'http_error', attempt, status: response.status });
        throw new WeatherUnavailableError(new Error(`Open-Meteo ${endpoint} answered ${response.status}: ${text.slice(0, 200)}`));
      }
      const parsed = parse(schema, text);
      if (!parsed.ok) {
        observe({ endpoint, outcome: 'invalid', attempt, status: response.status, error: parsed.error });
        throw new WeatherUnavailableError(parsed.error);
      }
      observe({ endpoint, outcome: 'ok', attempt, status: response.status });
      return parsed.value;
    }
    throw new WeatherUnavailableError(lastError);
  }

  return {
    async search(query) {
      const url = new URL(config.geocodingUrl);
      url.searchParams.set('name', query);
      url.searchParams.set('count', '1');
      url.searchParams.set('language', 'en');
      url.searchParams.set('format', 'json');
      const body = await getJson('geocoding', url, geocodingResponseSchema);
      const best = body.results?.[0];
      if (!best) return null;
      return {
        name: best.name,
        country: best.country ?? null,
        admin1: best.admin1 ?? null,
        latitude: best.latitude,
        longitude: best.longitude,
        timezone: best.timezone ?? 'UTC',
      };
    },

    async forecast(latitude, longitude) {
      const url = new URL(config.forecastUrl);
      url.searchParams.set('latitude', String(latitude));
      url.searchParams.set('longitude', String(longitude));
      url.searchParams.set('current', CURRENT_VARIABLES.join(','));
      url.searchParams.set('timezone', 'auto');
      // Commas as Open-Meteo documents them (current=a,b,c), not %2C: same meaning, readable logs.
      url.search = url.searchParams.toString().replace(/%2C/gu, ',');
      const { current } = await getJson('forecast', url, forecastResponseSchema);
      return {
        observedAt: current.time,
        temperatureC: current.temperature_2m,
        apparentTemperatureC: current.apparent_temperature,
        humidityPct: current.relative_humidity_2m,
        windSpeedKmh: current.wind_speed_10m,
        weatherCode: current.weather_code,
      };
    },
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: unknown };

function parse<S extends z.ZodType>(schema: S, text: string): Parsed<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: err };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: result.error };
}
