import { Counter, type Registry } from 'prom-client';
import type { Metrics } from '../../platform/metrics';
import type { ProviderEndpoint, ProviderOutcome } from './weather.provider';

export type CacheResult = 'hit' | 'miss';

/** What the weather service counts; a no-op when no registry was given. */
export interface WeatherMetrics {
  cache(endpoint: ProviderEndpoint, result: CacheResult): void;
  provider(endpoint: ProviderEndpoint, outcome: ProviderOutcome): void;
}

export const noWeatherMetrics: WeatherMetrics = { cache: () => undefined, provider: () => undefined };

/** Reuses a counter already registered, so two weather services may share one registry (tests, shadow mode). */
function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function createWeatherMetrics(metrics: Metrics | undefined): WeatherMetrics {
  if (!metrics) return noWeatherMetrics;
  const cacheLookups = counter(
    metrics.registry,
    'jeeves_weather_cache_lookups_total',
    'Weather cache lookups, by endpoint (geocoding, forecast) and result (hit, miss)',
    ['endpoint', 'result'] as const,
  );
  const providerRequests = counter(
    metrics.registry,
    'jeeves_weather_provider_requests_total',
    'Requests to Open-Meteo, retries included, by endpoint and outcome (ok, timeout, unreachable, http_error, invalid)',
    ['endpoint', 'outcome'] as const,
  );
  return {
    cache: (endpoint, result) => cacheLookups.inc({ endpoint, result }),
    provider: (endpoint, outcome) => providerRequests.inc({ endpoint, outcome }),
  };
}
