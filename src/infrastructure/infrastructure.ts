import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { migrationsFor } from '../../migrations';
import { allEntities } from './tables';
import type { Config } from '../config';
import { createMemoryCache, createRedisCache, type Cache } from '../platform/cache';
import { resolveEncryptionKeyring, type Keyring } from '../platform/crypto';
import { openDatabase, pingDatabase } from '../platform/db/data-source';
import { createFlagResolver, type FlagResolver } from '../platform/flags';
import { startEmbeddedPostgres } from '../platform/db/embedded-postgres';
import type { Logger } from '../platform/logger';
import { createMetrics, type Metrics } from '../platform/metrics';
import { createJobQueue, type Clock, type JobQueue } from '../platform/queue';
import { createRedisConnection, type RedisClient } from '../platform/redis';

/** What every Jeeves process stands on: database, queue, cache, metrics. */
export interface Infrastructure {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  dataSource: DataSource;
  queue: JobQueue;
  cache: Cache;
  flags: FlagResolver;
  redis?: RedisClient;
  /** Seals secrets at rest (workspace tokens, signing keys): TOKEN_ENCRYPTION_KEY, or the development key. */
  keyring: Keyring;
  /** Prefix of this deployment's own Redis keys besides the queue's and the cache's (rate-limit counters). */
  keyPrefix: string;
  /** Releases everything, in reverse order of acquisition. */
  close(graceMs?: number): Promise<void>;
}

export interface InfrastructureOptions {
  config: Config;
  logger: Logger;
  /** Modules whose tables this process migrates (default: all). */
  modules?: string[];
  /** Without DATABASE_URL, join the monolith's embedded PostgreSQL but never start one (extracted services). */
  joinEmbeddedDatabase?: boolean;
  /** Overrides for tests: an already-created metrics registry. */
  metrics?: Metrics;
  /** Redis key prefixes, so parallel test runs sharing one Redis never see each other's jobs. */
  queuePrefix?: string;
  cachePrefix?: string;
  keyPrefix?: string;
  /** The in-process queue's time, so a test moves it instead of waiting (ignored on BullMQ). */
  queueClock?: Clock;
}

export async function openInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const { config, logger, modules, metrics = createMetrics() } = options;
  const releases: Array<() => Promise<void>> = [];
  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: join(config.JEEVES_DATA_DIR, 'pg'), logger, joinOnly: options.joinEmbeddedDatabase === true });
      releases.push(embedded.stop);
      databaseUrl = embedded.url;
    }
    const dataSource = await openDatabase({ url: databaseUrl, entities: allEntities(), migrations: migrationsFor(modules) });
    releases.push(() => dataSource.destroy());

    const queue = createJobQueue({
      logger,
      metrics,
      ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
      prefix: options.queuePrefix ?? config.QUEUE_PREFIX,
      // Stalled jobs are looked for every half lock: a dead worker's job is taken up again about one to two locks after it died.
      lockDurationMs: config.QUEUE_LOCK_MS,
      stalledIntervalMs: config.QUEUE_LOCK_MS / 2,
      ...(options.queueClock ? { clock: options.queueClock } : {}),
    });

    let redis: RedisClient | undefined;
    let cache: Cache;
    if (config.REDIS_URL) {
      const client = createRedisConnection(config.REDIS_URL, { logger, connectionName: 'jeeves-cache' });
      releases.push(async () => {
        await client.quit().catch(() => client.disconnect());
      });
      redis = client;
      cache = createRedisCache({ redis: client, ...(options.cachePrefix ? { prefix: options.cachePrefix } : {}) });
    } else {
      cache = createMemoryCache();
    }
    const { keyring } = await resolveEncryptionKeyring({ configured: config.TOKEN_ENCRYPTION_KEY, dataDir: config.JEEVES_DATA_DIR, logger });
    const flags = createFlagResolver({
      flagsFile: config.FLAGS_FILE,
      refreshMs: config.FLAGS_REFRESH_MS,
      dataDir: config.JEEVES_DATA_DIR,
      logger,
      metrics,
      ...(config.UNLEASH_URL ? { unleashUrl: config.UNLEASH_URL } : {}),
      ...(config.UNLEASH_API_TOKEN ? { unleashToken: config.UNLEASH_API_TOKEN } : {}),
    });
    releases.push(() => flags.close());
    await flags.ready();

    logger.info(
      { database: config.DATABASE_URL ? 'DATABASE_URL' : 'embedded', queue: queue.backend, cache: redis ? 'redis' : 'memory', flags: config.UNLEASH_URL ? 'unleash' : config.FLAGS_FILE },
      'infrastructure ready',
    );
    return {
      config,
      logger,
      metrics,
      dataSource,
      queue,
      cache,
      flags,
      ...(redis ? { redis } : {}),
      keyring,
      keyPrefix: options.keyPrefix ?? 'jeeves:',
      close: async (graceMs?: number) => {
        // The queue first, with its grace period, so in-flight jobs finish while the database is still there.
        await queue.close(graceMs);
        for (const release of releases.reverse()) {
          await release().catch((err: unknown) => logger.warn({ err }, 'error while releasing a resource'));
        }
      },
    };
  } catch (err) {
    // Started but not returned: release what was acquired so a failed start leaves nothing running.
    for (const release of releases.reverse()) await release().catch(() => undefined);
    throw err;
  }
}

export function databaseCheck(dataSource: DataSource) {
  return () => pingDatabase(dataSource);
}
