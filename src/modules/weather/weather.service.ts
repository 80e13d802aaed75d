import { z } from 'zod';
import type { Cache } from '../../platform/cache';
import { moduleLogger, type Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import { describeWeatherCode } from './weather.codes';
import { PlaceNotFoundError } from './weather.errors';
import { forecastKey, geocodeKey, roundCoordinate } from './weather.keys';
import { createWeatherMetrics } from './weather.metrics';
import { createOpenMeteoProvider, type OpenMeteoConfig, type ProviderEvent } from './weather.provider';
import { placeSchema, readingSchema, type Reading } from './weather.schemas';
import { createSingleFlight } from './weather.single-flight';
import { validPlace, validPlaceQuery } from './weather.validation';
import type { CurrentWeather, Place, WeatherService } from './weather.types';

export interface WeatherServiceDependencies {
  provider: OpenMeteoConfig;
  cache: Cache;
  logger: Logger;
  metrics?: Metrics;
}

/** Places barely move: a week. */
export const GEOCODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** An unknown name stays unknown for a while; this stops a typo from asking the provider on every message. */
export const NOT_FOUND_TTL_MS = 60 * 60 * 1000;
/** Open-Meteo's "current" values are 15-minute data; 10 minutes keeps answers fresh enough. */
export const FORECAST_TTL_MS = 10 * 60 * 1000;

/** What the geocoding cache holds: a miss is remembered too (place: null). */
const geocodeEntrySchema = z.object({ place: placeSchema.nullable() });
type GeocodeEntry = z.infer<typeof geocodeEntrySchema>;

/** The in-process weather service: Open-Meteo behind a TTL cache, with concurrent lookups coalesced. */
export function createWeatherService(deps: WeatherServiceDependencies): WeatherService {
  const logger = moduleLogger(deps.logger, 'weather');
  const metrics = createWeatherMetrics(deps.metrics);
  const provider = createOpenMeteoProvider(deps.provider, (event: ProviderEvent) => {
    metrics.provider(event.endpoint, event.outcome);
    if (event.outcome !== 'ok') {
      const { endpoint, outcome, attempt, status, error } = event;
      logger.warn({ endpoint, outcome, attempt, status, err: error }, 'Open-Meteo request failed');
    }
  });
  const singleFlight = createSingleFlight();

  /** A cached value that no longer fits its schema (older code, foreign writer) is a miss. */
  async function cached<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const raw = await deps.cache.get<unknown>(key);
    if (raw === undefined) return undefined;
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async function lookUpPlace(query: string): Promise<GeocodeEntry> {
    const key = geocodeKey(query);
    return singleFlight(key, async () => {
      const hit = await cached(key, geocodeEntrySchema);
      metrics.cache('geocoding', hit ? 'hit' : 'miss');
      if (hit) return hit;
      const entry = { place: await provider.search(query) };
      await deps.cache.set(key, entry, entry.place ? GEOCODE_TTL_MS : NOT_FOUND_TTL_MS);
      return entry;
    });
  }

  async function lookUpReading(latitude: number, longitude: number): Promise<Reading> {
    const key = forecastKey(latitude, longitude);
    return singleFlight(key, async () => {
      const hit = await cached(key, readingSchema);
      metrics.cache('forecast', hit ? 'hit' : 'miss');
      if (hit) return hit;
      // Ask for the rounded point, so the cached reading is exactly the one its key names.
      const reading = await provider.forecast(roundCoordinate(latitude), roundCoordinate(longitude));
      await deps.cache.set(key, reading, FORECAST_TTL_MS);
      return reading;
    });
  }

  async function geocode(query: string): Promise<Place> {
    const clean = validPlaceQuery(query);
    const { place } = await lookUpPlace(clean);
    if (!place) throw new PlaceNotFoundError(clean);
    return place;
  }

  async function current(input: Place): Promise<CurrentWeather> {
    const place = validPlace(input);
    const reading = await lookUpReading(place.latitude, place.longitude);
    // One line per answer, in the log of whichever process served it (the monolith or the extracted service).
    logger.info({ place: place.name, country: place.country }, 'current weather served');
    return { place, ...reading, description: describeWeatherCode(reading.weatherCode) };
  }

  return {
    geocode,
    current,
    currentFor: async (query) => current(await geocode(query)),
  };
}

