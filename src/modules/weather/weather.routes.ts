import { Router } from 'express';
import { placeQueryParamsSchema, placeSchema } from './weather.schemas';
import type { WeatherService } from './weather.types';

/**
 * The weather module's HTTP adapter: parse, call the service, answer. Validation failures are
 * ZodErrors and service failures AppErrors; Express 5 hands both to the app's error middleware.
 */
export function weatherRouter({ weather }: { weather: WeatherService }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { place } = placeQueryParamsSchema.parse(req.query);
    res.json(await weather.currentFor(place));
  });

  router.get('/geocode', async (req, res) => {
    const { place } = placeQueryParamsSchema.parse(req.query);
    res.json(await weather.geocode(place));
  });

  router.post('/current', async (req, res) => {
    const place = placeSchema.parse(req.body);
    res.json(await weather.current(place));
  });

  return router;
}
