import { readApiRoutes } from '../../platform/fast-path';
import { jsonBody, jsonResponse, type ApiRoute } from '../../platform/openapi';
import { invalidResponse, unavailableResponse, WEATHER_READS } from './weather.reads';
import { currentWeatherSchema, placeSchema, WEATHER_API_PATH } from './weather.schemas';

/** weatherRouter's routes at WEATHER_API_PATH: the reads from their declarations, the write from the schema the router validates with. */
export function weatherApiRoutes(basePath = WEATHER_API_PATH): ApiRoute[] {
  const tags = ['weather'];
  return [
    ...readApiRoutes(basePath, WEATHER_READS, tags),
    {
      method: 'post',
      path: `${basePath}/current`,
      tags,
      summary: 'Current conditions at a place already geocoded',
      request: { body: jsonBody(placeSchema) },
      responses: { 200: jsonResponse('Current conditions at the place.', currentWeatherSchema), 400: invalidResponse, 503: unavailableResponse },
    },
  ];
}
