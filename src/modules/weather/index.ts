/**
 * The weather module's face: everything other modules, the composition root and the
 * extracted service may use. The files behind it are private to the module.
 */
export type { CurrentWeather, Place, WeatherService } from './weather.types';
export { PLACE_QUERY_MAX_LENGTH, WEATHER_API_PATH } from './weather.schemas';
export { createWeatherService } from './weather.service';
export { createWeatherHttpClient } from './weather.http-client';
export { weatherRouter } from './weather.routes';
export { createFakeWeatherService, type FakePlace } from './weather.fake';
export { weatherApiRoutes } from './weather.openapi';
export { weatherRemotePolicy } from './weather.remote-policy';
