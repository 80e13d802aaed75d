import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { requestJson, serviceApiUrl, type JsonRequest } from '../../platform/http-client';
import { remoteHeaders } from '../../platform/remote';
import { WeatherUnavailableError } from './weather.errors';
import { currentWeatherSchema, placeSchema, WEATHER_API_PATH } from './weather.schemas';
import type { WeatherService } from './weather.types';

export interface WeatherHttpClientOptions {
  /** Root URL of a Jeeves serving weatherRouter at /api/weather (the monolith or the extracted service). */
  baseUrl: string;
  /** Asked before every call: trace headers and a fresh service token (default: remoteHeaders(), trace headers only). */
  headers?: () => Promise<Record<string, string>>;
  timeoutMs?: number;
}

/** Errors the remote side reports on purpose; anything else means the remote side is not answering properly. */
function isDeliberate(err: AppError): boolean {
  if (err.status >= 500) return false;
  // requestJson's own codes for a non-Jeeves or broken answer (WEATHER.HTTP_404, WEATHER.BAD_RESPONSE).
  return !/^WEATHER\.(HTTP_\d+|BAD_RESPONSE)$/u.test(err.code);
}

/**
 * The weather module over HTTP: the same WeatherService, answered by a remote Jeeves. Errors
 * come back by code (WEATHER.PLACE_NOT_FOUND, HTTP.VALIDATION...); an unreachable, failing or
 * nonsensical remote is WEATHER.UNAVAILABLE, exactly as an unreachable Open-Meteo is in-process.
 * No retries here: the caller's routing layer decides those.
 */
export function createWeatherHttpClient(options: WeatherHttpClientOptions): WeatherService {
  const root = serviceApiUrl(options.baseUrl, WEATHER_API_PATH);
  const headersFor = options.headers ?? remoteHeaders();

  async function call<S extends z.ZodType>(path: string, schema: S, request: JsonRequest = {}): Promise<z.infer<S>> {
    const headers = await headersFor();
    let body: unknown;
    try {
      ({ body } = await requestJson<unknown>(root + path, { ...request, headers, timeoutMs: options.timeoutMs }, 'WEATHER'));
    } catch (err) {
      if (err instanceof AppError && isDeliberate(err)) throw err;
      throw new WeatherUnavailableError(err);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new WeatherUnavailableError(parsed.error);
    return parsed.data;
  }

  const withPlace = (path: string, place: string) => `${path}?${new URLSearchParams({ place }).toString()}`;

  return {
    geocode: (query) => call(withPlace('/geocode', query), placeSchema),
    current: (place) => call('/current', currentWeatherSchema, { method: 'POST', body: place }),
    currentFor: (query) => call(withPlace('', query), currentWeatherSchema),
  };
}
