import { describeNeeding } from './describe-needing';

/**
 * Redis-backed suites run when global setup found Redis. Without it they are skipped with a
 * loud banner, except under CI=true, where a missing Redis is a failure.
 */
export function testRedisUrl(): string | undefined {
  return process.env.JEEVES_TEST_REDIS_URL || undefined;
}

export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  describeNeeding(name, testRedisUrl(), { needs: 'Redis', state: 'unreachable', remedy: 'set TEST_REDIS_URL or run one on 127.0.0.1:6379' }, body);
}

/** A queue or key prefix unique to one test, so parallel suites never share state. */
export function uniquePrefix(label: string): string {
  return `jt-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
