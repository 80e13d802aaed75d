import { createSlackRateLimiter, type OutgoingSlackMessage } from '../../src/modules/slack';

/** The in-memory limiter on a hand-driven clock: one slot per channel per interval, and who may wait inline. */

const to = (channel: string, i = 0): OutgoingSlackMessage => ({ teamId: 'T1', channel, text: 'hi', key: `k${channel}${i}` });

function clockedLimiter(options: { maxInlineWaitMs?: number; maxInlineWaiters?: number; enabled?: boolean } = {}) {
  let t = 1_000_000;
  const sleeps: number[] = [];
  const gates: Array<() => void> = [];
  const limiter = createSlackRateLimiter({
    intervalMs: 1000,
    ...options,
    now: () => t,
    // Sleeping parks the caller until release(); the clock then moves by what it asked for.
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleeps.push(ms);
        gates.push(() => {
          t += ms;
          resolve();
        });
      }),
  });
  const releaseAll = () => gates.splice(0).forEach((open) => open());
  return { limiter, sleeps, releaseAll };
}

describe('Slack rate limiter (in memory)', () => {
  it('when off, then every message goes at once', async () => {
    const { limiter } = clockedLimiter({ enabled: false });
    expect(await Promise.all([limiter(to('C1')), limiter(to('C1'))])).toEqual([0, 0]);
  });

  it('when a channel’s slot is taken and inline waiting is off, then the wait comes back', async () => {
    const { limiter } = clockedLimiter({ maxInlineWaitMs: 0 });
    expect(await limiter(to('C1'))).toBe(0);
    expect(await limiter(to('C1'))).toBe(1000);
    expect(await limiter(to('C2'))).toBe(0);
  });

  it('when the slot is taken, then the message waits inline and then goes', async () => {
    const { limiter, sleeps, releaseAll } = clockedLimiter();
    expect(await limiter(to('C1'))).toBe(0);
    const second = limiter(to('C1'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sleeps).toEqual([1000]);
    releaseAll();
    expect(await second).toBe(0);
  });

  it('when more messages would wait than maxInlineWaiters, then the rest get their wait back at once instead of holding a worker slot', async () => {
    const { limiter, sleeps, releaseAll } = clockedLimiter({ maxInlineWaiters: 2 });
    await limiter(to('C1'));
    const waiting = [limiter(to('C1', 1)), limiter(to('C1', 2))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(await limiter(to('C1', 3))).toBe(1000);
    expect(sleeps).toHaveLength(2);
    // Once the waiters are done, their places are free again: the next message may wait inline.
    let settled = false;
    void Promise.all(waiting).then(() => (settled = true));
    while (!settled) {
      releaseAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const before = sleeps.length;
    const next = limiter(to('C1', 4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sleeps).toHaveLength(before + 1);
    releaseAll();
    expect(await next).toBe(0);
  });
});
