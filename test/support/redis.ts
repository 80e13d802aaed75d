/**
 * Redis-backed suites run when global setup found Redis. Without it they are skipped with a
 * loud banner, except under CI=true, where a missing Redis is a failure.
 */
export function testRedisUrl(): string | undefined {
  return process.env.JEEVES_TEST_REDIS_URL || undefined;
}

export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  const url = testRedisUrl();
  if (url) {
    describe(name, () => body(url));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Redis, which is unreachable (CI=true makes that a failure)', () => {
        throw new Error('Redis is required under CI=true but TEST_REDIS_URL / 127.0.0.1:6379 did not answer');
      });
    });
    return;
  }
  process.stderr.write(`\n!!! SKIPPED (no Redis): ${name}\n`);
  const skipped = describe.skip;
  skipped(name, () => body(''));
}

/** A queue or key prefix unique to one test, so parallel suites never share state. */
export function uniquePrefix(label: string): string {
  return `jt-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
