import { z } from 'zod';
import type { CurrentWeather, Place } from './weather.types';

/**
 * The weather module's request and response shapes. The HTTP adapter validates with them,
 * the service validates its inputs with them (so in-process and remote callers get the
 * same HTTP.VALIDATION errors), and the extracted service will generate OpenAPI from them
 * (zod-to-openapi reads `.meta`).
 */

/** Where the monolith and the extracted weather service mount weatherRouter; the HTTP client calls it there. */
export const WEATHER_API_PATH = '/api/weather';

export const PLACE_QUERY_MAX_LENGTH = 100;

export const placeQuerySchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be one string') })
  .trim()
  .min(1, 'must not be empty')
  .max(PLACE_QUERY_MAX_LENGTH, `must be at most ${PLACE_QUERY_MAX_LENGTH} characters`)
  .meta({ description: 'Free-text place name, e.g. "Paris" or "New York"', example: 'Paris' });

export const placeQueryParamsSchema = z.object({ place: placeQuerySchema }).meta({ id: 'WeatherPlaceQuery' });

export const placeSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    country: z.string().max(200).nullable(),
    admin1: z.string().max(200).nullable().meta({ description: 'Region, e.g. Île-de-France' }),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    timezone: z.string().min(1).max(100).meta({ description: 'IANA zone, e.g. Europe/Paris' }),
  })
  .meta({ id: 'WeatherPlace' }) satisfies z.ZodType<Place>;

/** Current conditions without the place: what the forecast cache holds. */
export const readingSchema = z.object({
  observedAt: z.string().min(1).meta({ description: 'Local time at the place, ISO 8601 without offset' }),
  temperatureC: z.number(),
  apparentTemperatureC: z.number(),
  humidityPct: z.number().min(0).max(100),
  windSpeedKmh: z.number().min(0),
  weatherCode: z.number().int().meta({ description: 'WMO weather interpretation code' }),
});
export type Reading = z.infer<typeof readingSchema>;

export const currentWeatherSchema = readingSchema
  .extend({
    place: placeSchema,
    description: z.string().meta({ description: 'The weather code in words, e.g. "overcast"' }),
  })
  .meta({ id: 'CurrentWeather' }) satisfies z.ZodType<CurrentWeather>;
