import type { Registry } from 'prom-client';
import type { Logger } from '../logger';
import { createFileFlagResolver } from './file-flags';
import { createFlagMetrics, type FlagMetrics } from './flags.metrics';
import type { FlagResolver, FlagsBackend } from './flags.types';
import { createUnleashFlagResolver } from './unleash-flags';

export interface FlagResolverOptions {
  /** UNLEASH_URL: when set (with a token), flags come from Unleash, else from the file. */
  unleashUrl?: string;
  /** UNLEASH_API_TOKEN: a backend (client) token. */
  unleashToken?: string;
  /** FLAGS_FILE. */
  flagsFile: string;
  /** FLAGS_REFRESH_MS: Unleash polling interval, and the file's fallback poll. */
  refreshMs: number;
  /** Where unleash-client keeps its backup of the last known flags. */
  dataDir: string;
  logger: Logger;
  /** Registers jeeves_flag_evaluations_total and jeeves_flags_known here. */
  metrics?: { registry: Registry };
  /** Extra knobs for tests; production leaves them alone. */
  unleash?: { readyTimeoutMs?: number; sendUsageMetrics?: boolean; requestTimeoutMs?: number };
}

export function flagsBackend(options: Pick<FlagResolverOptions, 'unleashUrl' | 'unleashToken'>): FlagsBackend {
  return options.unleashUrl && options.unleashToken ? 'unleash' : 'file';
}

/** Picks the backend: Unleash when configured, else the flags file. */
export function createFlagResolver(options: FlagResolverOptions): FlagResolver {
  const logger = options.logger.child({ module: 'flags' });
  // The gauge reads the resolver built just below; it is only scraped after that.
  let resolver: FlagResolver | undefined;
  const metrics: FlagMetrics | undefined = options.metrics
    ? createFlagMetrics(options.metrics.registry, () => resolver?.list().length ?? 0)
    : undefined;
  if (flagsBackend(options) === 'unleash') {
    resolver = createUnleashFlagResolver({
      url: options.unleashUrl!,
      apiToken: options.unleashToken!,
      refreshMs: options.refreshMs,
      dataDir: options.dataDir,
      logger,
      metrics,
      ...options.unleash,
    });
  } else {
    resolver = createFileFlagResolver({ file: options.flagsFile, refreshMs: options.refreshMs, logger, metrics });
  }
  return resolver;
}
