import { createWeatherService, WEATHER_API_PATH, weatherApiRoutes, weatherRouter } from '../../src/modules/weather';
import { buildOpenApiDocument } from '../../src/platform/openapi';
import type { ServiceDefinition } from '../../src/service-host/service-host';

/** The weather module as its own service (`npm run service -- weather`): it owns no tables, only a cache. */
export const weatherService: ServiceDefinition = {
  name: 'weather',
  ownedModules: [],
  async build({ config, cache, logger, metrics }) {
    const weather = createWeatherService({
      provider: { forecastUrl: config.WEATHER_API_URL, geocodingUrl: config.GEOCODING_API_URL },
      cache,
      // The service names its own module in its log lines.
      logger,
      metrics,
    });
    return {
      routes: [{ path: WEATHER_API_PATH, router: weatherRouter({ weather }) }],
      openapi: buildOpenApiDocument({ title: 'Jeeves weather service', version: '1.0.0', secured: weatherApiRoutes(WEATHER_API_PATH) }),
    };
  },
};
