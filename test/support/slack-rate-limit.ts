import { createSlackRateLimiter } from '../../src/modules/slack';
import type { RedisClient } from '../../src/platform/redis';

/** Two limiters, as two workers hold them, on one Redis: they share one slot per workspace+channel. */
export async function expectOneSlotPerChannel(first: RedisClient, second: RedisClient, prefix: string): Promise<void> {
  const limiter = createSlackRateLimiter({ redis: first, prefix, maxInlineWaitMs: 0 });
  const other = createSlackRateLimiter({ redis: second, prefix, maxInlineWaitMs: 0 });
  const message = { teamId: 'T1', channel: 'CRATE', text: 'x', key: 'k' };
  expect(await limiter(message)).toBe(0);
  const wait = await other(message);
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(1000);
  expect(await other({ ...message, channel: 'COTHER' })).toBe(0);
  expect(await other({ ...message, teamId: 'T2' })).toBe(0);
}
