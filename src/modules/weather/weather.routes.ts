import { Router } from 'express';
import { serveReads } from '../../platform/fast-path';
import { WEATHER_READS } from './weather.reads';
import { placeSchema } from './weather.schemas';
import type { WeatherService } from './weather.types';

/**
 * The weather module's HTTP adapter: parse, call the service, answer. Validation failures are
 * ZodErrors and service failures AppErrors; Express 5 hands both to the app's error middleware.
 */
export function weatherRouter({ weather }: { weather: WeatherService }): Router {
  // The reads: declared once in weather.reads.ts, for this router, a service's fast path and the OpenAPI document.
  const router = serveReads(Router(), WEATHER_READS, { weather });

  router.post('/current', async (req, res) => {
    const place = placeSchema.parse(req.body);
    res.json(await weather.current(place));
  });

  return router;
}
