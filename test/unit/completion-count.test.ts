import type { RedisClient } from '../../src/platform/redis';
import { completionsKey, createCompletionCounter } from '../../src/platform/queue/completion-count';

/** Records what a MULTI would have applied; `failures` execs reject first, as with Redis away. */
function fakeRedis(failures: number) {
  const applied: Array<{ key: string; by: number; ttl: number }> = [];
  let left = failures;
  const redis = {
    multi() {
      const queued: { key?: string; by?: number; ttl?: number } = {};
      const chain = {
        incrby(key: string, by: number) {
          Object.assign(queued, { key, by });
          return chain;
        },
        expire(_key: string, ttl: number) {
          queued.ttl = ttl;
          return chain;
        },
        exec() {
          if (left > 0) {
            left -= 1;
            return Promise.reject(new Error('Connection is closed.'));
          }
          applied.push(queued as { key: string; by: number; ttl: number });
          return Promise.resolve([]);
        },
      };
      return chain;
    },
  };
  return { redis: redis as unknown as RedisClient, applied };
}

describe('completion counter', () => {
  const minute = 29_000_000;
  const now = () => minute * 60_000 + 5_000;
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when jobs complete, then their count is added to the minute\'s key once a second, with an expiry', async () => {
    const { redis, applied } = fakeRedis(0);
    const counter = createCompletionCounter(redis, 'jeeves:bull', 'slack-deliveries', now);
    counter.add();
    counter.add();
    expect(applied).toEqual([]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(applied).toEqual([{ key: completionsKey('jeeves:bull', 'slack-deliveries', minute), by: 2, ttl: 180 }]);
    await jest.advanceTimersByTimeAsync(3000);
    expect(applied).toHaveLength(1);
    await counter.close();
  });

  it('when Redis refuses a flush, then the count is kept and added with the next one, not lost or added twice', async () => {
    const { redis, applied } = fakeRedis(1);
    const counter = createCompletionCounter(redis, 'jeeves:bull', 'q', now);
    for (let i = 0; i < 3; i++) counter.add();
    await jest.advanceTimersByTimeAsync(1000);
    expect(applied).toEqual([]);
    counter.add();
    await jest.advanceTimersByTimeAsync(1000);
    expect(applied.map((a) => a.by)).toEqual([4]);
    await counter.close();
  });

  it('when closed, then what is still counted is added at once', async () => {
    const { redis, applied } = fakeRedis(0);
    const counter = createCompletionCounter(redis, 'jeeves:bull', 'q', now);
    counter.add();
    await counter.close();
    expect(applied.map((a) => a.by)).toEqual([1]);
    await jest.advanceTimersByTimeAsync(5000);
    expect(applied).toHaveLength(1);
  });
});
