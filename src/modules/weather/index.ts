/**
 * The weather module's face: everything other modules, the composition root and the
 * extracted service may use. The files behind it are private to the module.
 */
export type { CurrentWeather, Place, WeatherService } from './weather.types';
export { describeWeatherCode } from './weather.codes';
export { PlaceNotFoundError, WeatherUnavailableError, WEATHER_UNAVAILABLE_MESSAGE } from './weather.errors';
export {
  currentWeatherSchema,
  PLACE_QUERY_MAX_LENGTH,
  placeQueryParamsSchema,
  placeQuerySchema,
  placeSchema,
  WEATHER_API_PATH,
} from './weather.schemas';
export type { OpenMeteoConfig } from './weather.provider';
export {
  createWeatherService,
  FORECAST_TTL_MS,
  GEOCODE_TTL_MS,
  NOT_FOUND_TTL_MS,
  type WeatherServiceDependencies,
} from './weather.service';
export { createWeatherHttpClient, type WeatherHttpClientOptions } from './weather.http-client';
export { weatherRouter } from './weather.routes';
export { createFakeWeatherService, type FakePlace, type FakeWeatherService } from './weather.fake';
export { weatherApiRoutes } from './weather.openapi';
export { weatherRemotePolicy } from './weather.remote-policy';
