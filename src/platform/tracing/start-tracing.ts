import type { Config } from '../../config';
import type { Tracing } from './tracing';

export type { Tracing } from './tracing';

const OFF: Tracing = { shutdown: () => Promise.resolve() };

/**
 * Turns tracing on for this process when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTEL_SERVICE_NAME,
 * else `serviceName`, names it); otherwise leaves the no-op API in place and never loads the SDK.
 */
export function startTracing(config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME'>, serviceName: string): Tracing {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return OFF;
  // A require, not an import: a process without tracing pays nothing for the SDK, not even its loading.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./tracing-sdk') as typeof import('./tracing-sdk');
  return sdk.installOtlpTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, config.OTEL_SERVICE_NAME ?? serviceName);
}
