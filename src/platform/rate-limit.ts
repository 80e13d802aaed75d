import type { Request, RequestHandler } from 'express';
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type Options as RedisStoreOptions, type RedisReply } from 'rate-limit-redis';
import { AppError } from './errors';

/**
 * The book's web application firewall (chapter 7's OpenResty limits), in the app: a fixed
 * window per key, counted in Redis when there is one so every process shares the count, in
 * memory otherwise. Over the limit: 429 with Retry-After, in the API's error shape.
 */
export interface RateLimitOptions {
  /** Names the limit in its Redis keys and its error message, e.g. 'oauth-token-ip'. */
  name: string;
  windowMs: number;
  limit: number;
  /** Whom the request counts against; undefined lets it through uncounted (e.g. no client id). */
  key: (req: Request) => string | undefined;
  redis?: RedisClient;
  /** Prefix of the counters' Redis keys (default jeeves:rl:). */
  prefix?: string;
}

export class RateLimitedError extends AppError {
  constructor(name: string, retryAfterSeconds: number) {
    super('HTTP.RATE_LIMITED', `Too many requests (${name}); try again in ${retryAfterSeconds} s.`, 429);
  }
}

/** Per client IP, IPv6 addresses grouped by their /56 as express-rate-limit advises. */
export const byIp = (req: Request): string => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');

/**
 * How the store reaches Redis. On a cluster its scripts are loaded on every master: SCRIPT LOAD
 * names no key, so sent once it lands on any node, and the EVALSHA that follows (routed by the
 * counter's key) would find no script on the others.
 */
function storeCommands(redis: RedisClient, prefix: string): RedisStoreOptions {
  if (!(redis instanceof Cluster)) return { prefix, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> };
  return {
    prefix,
    sendCommandCluster: async ({ command: [name, ...args] }) => {
      if (name!.toUpperCase() !== 'SCRIPT') return redis.call(name!, ...args) as Promise<RedisReply>;
      const replies = await Promise.all(redis.nodes('master').map((node) => node.call(name!, ...args)));
      return replies[0] as RedisReply;
    },
  };
}

export function createRateLimit({ name, windowMs, limit, key, redis, prefix = 'jeeves:rl:' }: RateLimitOptions): RequestHandler {
  const keys = new WeakMap<Request, string>();
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    skip: (req) => {
      const k = key(req);
      if (k === undefined) return true;
      keys.set(req, k);
      return false;
    },
    keyGenerator: (req) => keys.get(req)!,
    ...(redis
      ? { store: new RedisStore(storeCommands(redis, `${prefix}${name}:`)) }
      : {}),
    handler: (req, res, next) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      res.setHeader('Retry-After', String(seconds));
      next(new RateLimitedError(name, seconds));
    },
  });
}
