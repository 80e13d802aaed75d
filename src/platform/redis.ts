import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';
import { isRedisClusterUrl, parseRedisClusterUrl } from './redis-url';

/** A connection to one Redis node or to a Redis Cluster: the commands Jeeves sends work on either. */
export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  /**
   * A BullMQ worker's connection: commands wait through outages (BullMQ requires
   * maxRetriesPerRequest: null for its blocking reads). Otherwise a producer's connection,
   * which fails fast so a caller on the request path never hangs on a dead Redis.
   */
  forWorker?: boolean;
  /** Shown by CLIENT LIST, so an operator can tell Jeeves' connections apart. */
  connectionName?: string;
  /** Logs connection loss and recovery once each, not on every reconnect attempt. */
  logger?: Logger;
  /**
   * Upper bound on one command of a producer connection (default 5 s); 0 for none, where the
   * caller bounds whole operations itself (ioredis arms a timer per command).
   */
  commandTimeoutMs?: number;
  /**
   * Same-tick commands of a producer connection share one write (default on). Off where the
   * caller batches itself: each tick's auto-pipeline copies every script defined on the
   * connection, and BullMQ defines dozens.
   */
  autoPipelining?: boolean;
}

/** Reconnects forever with a capped backoff: Redis restarts must not need a Jeeves restart. */
function reconnectDelay(times: number): number {
  return Math.min(100 * 2 ** Math.min(times, 8), 5000);
}

/** ioredis options with a reconnect strategy always set (the shape BullMQ's options accept). */
export type RoleRedisOptions = RedisOptions & { retryStrategy: (times: number) => number };

/** ioredis options for one role; BullMQ workers get these to build their own connections. */
export function redisOptions(options: RedisConnectionOptions = {}): RoleRedisOptions {
  const base: RoleRedisOptions = {
    connectTimeout: 2000,
    retryStrategy: reconnectDelay,
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
  if (options.forWorker) {
    return { ...base, maxRetriesPerRequest: null, enableOfflineQueue: true };
  }
  return {
    ...base,
    // A command issued while disconnected fails at once instead of queueing until Redis returns.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    ...((options.commandTimeoutMs ?? 5000) > 0 ? { commandTimeout: options.commandTimeoutMs ?? 5000 } : {}),
    // Commands issued in the same tick share one write: the ingest hot path dedupes thousands/s.
    enableAutoPipelining: options.autoPipelining ?? true,
  };
}

/** One node for a `redis://` URL, a Cluster for a `redis+cluster://` one (see redis-url.ts). */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): RedisClient {
  const redis = isRedisClusterUrl(url) ? createCluster(url, options) : new Redis(url, redisOptions(options));
  watchConnection(redis, url, options.logger);
  return redis;
}

/** The same role's options, split as Cluster takes them: its own, and each node connection's. */
function createCluster(url: string, options: RedisConnectionOptions): Cluster {
  const target = parseRedisClusterUrl(url);
  const { retryStrategy, enableOfflineQueue, enableAutoPipelining, ...perNode } = redisOptions(options);
  return new Cluster(target.nodes, {
    clusterRetryStrategy: retryStrategy,
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    redisOptions: {
      ...perNode,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  });
}

/** The URL without credentials, for messages and logs. */
export function redactRedisUrl(url: string): string {
  if (isRedisClusterUrl(url)) return url.trim().replace(/\/\/[^@/]*@/, '//').replace(/\/$/, '');
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'redis://(unparseable URL)';
  }
}

/** The last connection error seen on a client, for messages that say why Redis is unusable. */
const lastErrors = new WeakMap<RedisClient, Error>();

function watchConnection(redis: RedisClient, url: string, logger: Logger | undefined): void {
  const where = redactRedisUrl(url);
  let down = false;
  // Without an error listener ioredis prints every failed reconnect attempt to stderr.
  redis.on('error', (err: Error) => {
    lastErrors.set(redis, err);
    if (!down) logger?.warn({ err: err.message, redis: where }, 'Redis connection lost; reconnecting');
    down = true;
  });
  redis.on('ready', () => {
    lastErrors.delete(redis);
    if (down) logger?.info({ redis: where }, 'Redis connection restored');
    down = false;
  });
}

/**
 * Resolves once the client is ready, at once in the common case. While a connection is being
 * made, waits at most timeoutMs, and no longer than its first error; when Redis is known to be
 * down (an error since the last ready), rejects at once saying why: callers never hang.
 */
export function whenRedisReady(redis: RedisClient, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status === 'end' || lastErrors.has(redis) || timeoutMs <= 0) return Promise.reject(notConnected(redis));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(notConnected(redis)), timeoutMs);
  });
  return Promise.race([nextReady(redis), timeout]).finally(() => clearTimeout(timer));
}

function notConnected(redis: RedisClient): Error {
  const cause = lastErrors.get(redis);
  return new Error(`Redis is not connected (${redis.status}${cause ? `: ${cause.message}` : ''})`, { cause });
}

// One set of listeners per client, however many callers wait (a burst of adds at start-up).
const readyWaits = new WeakMap<RedisClient, Promise<void>>();

function nextReady(redis: RedisClient): Promise<void> {
  let wait = readyWaits.get(redis);
  if (!wait) {
    wait = new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        redis.off('ready', onReady);
        redis.off('end', onFailure);
        redis.off('error', onFailure);
        readyWaits.delete(redis);
        if (err) reject(err);
        else resolve();
      };
      const onReady = () => done();
      // Runs after watchConnection's listener, so the message names this very error.
      const onFailure = () => done(notConnected(redis));
      redis.once('ready', onReady);
      redis.once('end', onFailure);
      redis.once('error', onFailure);
    });
    // Callers that timed out no longer listen; the shared wait must not count as unhandled.
    wait.catch(() => undefined);
    readyWaits.set(redis, wait);
  }
  return wait;
}

/**
 * Holds what this turn writes to a single Redis connection until its microtasks have run, so the
 * commands a batch of adds issues (each at the end of a short chain of resolved awaits) leave in
 * one write: one syscall here and one read in Redis instead of one each. A command issued later
 * (a connection not ready yet) is simply written on its own. A Cluster spreads commands over
 * nodes and is left as it is.
 */
export function corkForThisTurn(connection: RedisClient): void {
  const stream = 'stream' in connection ? connection.stream : undefined;
  if (!stream || stream.writableCorked > 0) return;
  stream.cork();
  // Queued from a microtask, a tick runs once every microtask queued before it has run.
  queueMicrotask(() => process.nextTick(() => stream.uncork()));
}
