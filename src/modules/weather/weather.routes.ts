import { Router } from 'express';
import { serveFastReads, type FastReadRequest } from '../../platform/service-fast-path';
import { placeQueryParamsSchema, placeSchema } from './weather.schemas';
import type { WeatherService } from './weather.types';

/**
 * The weather module's HTTP adapter: parse, call the service, answer. Validation failures are
 * ZodErrors and service failures AppErrors; Express 5 hands both to the app's error middleware.
 */
export function weatherRouter({ weather }: { weather: WeatherService }): Router {
  const router = Router();

  // The reads, each written once for the router and for a service's fast path (serveFastReads below).
  const currentFor = (req: FastReadRequest) => weather.currentFor(placeQueryParamsSchema.parse(req.query).place);
  const geocode = (req: FastReadRequest) => weather.geocode(placeQueryParamsSchema.parse(req.query).place);

  router.get('/', async (req, res) => {
    res.json(await currentFor(req));
  });

  router.get('/geocode', async (req, res) => {
    res.json(await geocode(req));
  });

  router.post('/current', async (req, res) => {
    const place = placeSchema.parse(req.body);
    res.json(await weather.current(place));
  });

  return serveFastReads(router, [
    { path: '/', json: async (req) => currentFor(req) },
    { path: '/geocode', json: async (req) => geocode(req) },
  ]);
}
