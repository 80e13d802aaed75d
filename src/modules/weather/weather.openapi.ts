import { errorResponse, jsonBody, jsonResponse, type ApiRoute } from '../../platform/openapi';
import { currentWeatherSchema, placeQueryParamsSchema, placeSchema, WEATHER_API_PATH } from './weather.schemas';

/** weatherRouter's routes at WEATHER_API_PATH, described from the schemas the router validates with. */
export function weatherApiRoutes(basePath = WEATHER_API_PATH): ApiRoute[] {
  const tags = ['weather'];
  const invalid = errorResponse('HTTP.VALIDATION: the place is missing, empty, too long or out of range.');
  const notFound = errorResponse('WEATHER.PLACE_NOT_FOUND: the geocoder knows no such place.');
  const unavailable = errorResponse('WEATHER.UNAVAILABLE: the weather provider cannot be reached or answered nonsense.');

  return [
    {
      method: 'get',
      path: basePath,
      tags,
      summary: 'Current conditions at a place named in free text',
      request: { query: placeQueryParamsSchema },
      responses: { 200: jsonResponse('Current conditions at the best match.', currentWeatherSchema), 400: invalid, 404: notFound, 503: unavailable },
    },
    {
      method: 'get',
      path: `${basePath}/geocode`,
      tags,
      summary: 'The best match for a place name',
      request: { query: placeQueryParamsSchema },
      responses: { 200: jsonResponse('The place.', placeSchema), 400: invalid, 404: notFound, 503: unavailable },
    },
    {
      method: 'post',
      path: `${basePath}/current`,
      tags,
      summary: 'Current conditions at a place already geocoded',
      request: { body: jsonBody(placeSchema) },
      responses: { 200: jsonResponse('Current conditions at the place.', currentWeatherSchema), 400: invalid, 503: unavailable },
    },
  ];
}
