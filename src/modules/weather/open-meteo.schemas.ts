import { z } from 'zod';

/**
 * Open-Meteo's answers, as far as Jeeves reads them (samples/open-meteo-*.json). Unknown
 * fields are ignored so the provider may add some; anything Jeeves needs that is missing or
 * of the wrong type makes the answer nonsense, hence WEATHER.UNAVAILABLE.
 */

const geocodingResultSchema = z.object({
  name: z.string().min(1),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  // Open-Meteo leaves these out for some places (oceans, disputed areas).
  country: z.string().optional(),
  admin1: z.string().optional(),
  timezone: z.string().min(1).optional(),
});

/** No `results` key at all when nothing matches. */
export const geocodingResponseSchema = z.object({
  results: z.array(geocodingResultSchema).optional(),
});

export const forecastResponseSchema = z.object({
  timezone: z.string().optional(),
  current: z.object({
    time: z.string().min(1),
    temperature_2m: z.number(),
    apparent_temperature: z.number(),
    relative_humidity_2m: z.number().min(0).max(100),
    weather_code: z.number().int(),
    wind_speed_10m: z.number().min(0),
  }),
});

/** The `current=` variables Jeeves asks for, in the names forecastResponseSchema reads. */
export const CURRENT_VARIABLES = [
  'temperature_2m',
  'apparent_temperature',
  'relative_humidity_2m',
  'weather_code',
  'wind_speed_10m',
] as const;
