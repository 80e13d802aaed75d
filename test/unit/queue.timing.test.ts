import { createFakeClock, systemClock } from '../../src/platform/queue/clock';
import { failureOutcome, retryDelay } from '../../src/platform/queue/job-runner';
import { backoffDelay, PermanentJobError, RetryAfterError } from '../../src/platform/queue/queue';
import { nextRunAt } from '../../src/platform/queue/schedule-timing';

describe('backoff', () => {
  it.each([
    [1, 500, 1000],
    [2, 1000, 2000],
    [3, 2000, 4000],
  ])('after try %i with a 1 s base, then the wait lies between %i and %i ms', (tries, low, high) => {
    expect(backoffDelay(tries, 1000, () => 0)).toBe(low);
    expect(backoffDelay(tries, 1000, () => 1)).toBe(high);
  });

  it('when tries pile up, then the wait is capped at five minutes', () => {
    expect(backoffDelay(30, 1000, () => 1)).toBe(5 * 60_000);
  });

  it('when the handler asked for a Retry-After, then that delay wins over the backoff', () => {
    expect(retryDelay(new RetryAfterError('429', 7000), 1, 10)).toBe(7000);
    expect(retryDelay(new Error('plain'), 1, 10, () => 1)).toBe(10);
  });
});

describe('failure outcome', () => {
  it('when tries remain, then a failure is retried; when none remain or it is permanent, it fails', () => {
    expect(failureOutcome(new Error('x'), { attemptsMade: 0, attempts: 2 })).toBe('retried');
    expect(failureOutcome(new Error('x'), { attemptsMade: 1, attempts: 2 })).toBe('failed');
    expect(failureOutcome(new PermanentJobError('gone'), { attemptsMade: 0, attempts: 5 })).toBe('failed');
  });
});

describe('schedule timing', () => {
  it('when an interval is asked for, then ticks fall on multiples of it, as BullMQ aligns them', () => {
    expect(nextRunAt({ everyMs: 1000 }, 10_250)).toBe(11_000);
    expect(nextRunAt({ everyMs: 1000 }, 11_000)).toBe(12_000);
  });

  it('when a cron pattern has no timezone, then it is read in UTC', () => {
    expect(new Date(nextRunAt({ pattern: '0 9 * * *' }, Date.UTC(2025, 0, 1, 10))).toISOString()).toBe('2025-01-02T09:00:00.000Z');
  });

  it('when the timezone is unknown, then the schedule is refused', () => {
    expect(() => nextRunAt({ pattern: '0 9 * * *', tz: 'Mars/Olympus' }, 0)).toThrow(/Invalid schedule/);
  });
});

describe('clocks', () => {
  afterEach(() => jest.useRealTimers());

  it('when the fake clock advances, then timers fire in time order, including ones set meanwhile', async () => {
    const clock = createFakeClock(0);
    const fired: string[] = [];
    clock.schedule(() => fired.push('b@20'), 20);
    clock.schedule(() => {
      fired.push('a@10');
      clock.schedule(() => fired.push('c@15'), 5);
    }, 10);
    const cancel = clock.schedule(() => fired.push('never'), 12);
    cancel();

    await clock.advance(25);
    expect(fired).toEqual(['a@10', 'c@15', 'b@20']);
    expect(clock.now()).toBe(25);
  });

  it('when the system clock waits longer than a Node timer can, then it fires at the due time, not at once', () => {
    jest.useFakeTimers({ now: 0 });
    const fn = jest.fn();
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    systemClock.schedule(fn, thirtyDays);

    jest.advanceTimersByTime(thirtyDays - 1);
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
