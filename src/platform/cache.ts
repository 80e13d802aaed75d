import type { RedisClient } from './redis';
import { LRUCache } from 'lru-cache';

/** A TTL cache of JSON-serialisable values: Redis when configured, else an in-memory LRU. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export function createMemoryCache({ max = 10_000 }: { max?: number } = {}): Cache {
  // lru-cache wants a non-nullable object type; values are boxed so any JSON value fits.
  const lru = new LRUCache<string, { value: unknown }>({ max, ttlAutopurge: false });
  return {
    async get<T>(key: string) {
      return lru.get(key)?.value as T | undefined;
    },
    async set<T>(key: string, value: T, ttlMs: number) {
      lru.set(key, { value }, { ttl: ttlMs });
    },
    async delete(key: string) {
      lru.delete(key);
    },
  };
}

/**
 * Redis-backed cache. A Redis failure is a cache miss, never an error: the caller then
 * asks the source, which is slower but right.
 */
export function createRedisCache({ redis, prefix = 'jeeves:cache:' }: { redis: RedisClient; prefix?: string }): Cache {
  return {
    async get<T>(key: string) {
      try {
        const raw = await redis.get(prefix + key);
        return raw === null ? undefined : (JSON.parse(raw) as T);
      } catch {
        return undefined;
      }
    },
    async set<T>(key: string, value: T, ttlMs: number) {
      try {
        await redis.set(prefix + key, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
      } catch {
        // A cache that cannot write only costs a later miss.
      }
    },
    async delete(key: string) {
      try {
        await redis.del(prefix + key);
      } catch {
        // Same as above: the entry expires on its own.
      }
    },
  };
}
