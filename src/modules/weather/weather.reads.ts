import type { ReadRoute } from '../../platform/fast-path';
import { errorResponse } from '../../platform/openapi';
import { currentWeatherSchema, placeQueryParamsSchema, placeSchema } from './weather.schemas';
import type { WeatherService } from './weather.types';

/** The weather module's reads, each declared once: weatherRouter serves them, weatherApiRoutes documents them. */

export const invalidResponse = errorResponse('HTTP.VALIDATION: the place is missing, empty, too long or out of range.');
export const unavailableResponse = errorResponse('WEATHER.UNAVAILABLE: the weather provider cannot be reached or answered nonsense.');
const notFound = errorResponse('WEATHER.PLACE_NOT_FOUND: the geocoder knows no such place.');
const failures = { 400: invalidResponse, 404: notFound, 503: unavailableResponse };

type Deps = { weather: WeatherService };

export const WEATHER_READS: Array<ReadRoute<Deps>> = [
  {
    path: '/',
    summary: 'Current conditions at a place named in free text',
    request: { query: placeQueryParamsSchema },
    response: { description: 'Current conditions at the best match.', schema: currentWeatherSchema },
    otherResponses: failures,
    handler: ({ weather }) => ({ json: async (req) => weather.currentFor(placeQueryParamsSchema.parse(req.query).place) }),
  },
  {
    path: '/geocode',
    summary: 'The best match for a place name',
    request: { query: placeQueryParamsSchema },
    response: { description: 'The place.', schema: placeSchema },
    otherResponses: failures,
    handler: ({ weather }) => ({ json: async (req) => weather.geocode(placeQueryParamsSchema.parse(req.query).place) }),
  },
];
