import { bounded, TimeBoundError, within } from '../../src/platform/time-bound';

const never = () => new Promise<never>(() => undefined);
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('time bounds', () => {
  it('when the promise settles in time, then bounded gives its value or its own error', async () => {
    await expect(bounded(later(5, 'ok'), 1000)).resolves.toBe('ok');
    await expect(bounded(Promise.reject(new Error('refused')), 1000)).rejects.toThrow('refused');
  });

  it('when the promise outlives the bound, then bounded rejects with the message given, or a default one', async () => {
    await expect(bounded(never(), 10, 'Redis did not answer')).rejects.toEqual(new TimeBoundError('Redis did not answer'));
    await expect(bounded(never(), 10)).rejects.toThrow('no answer within 10 ms');
  });

  it('within is true for a promise settled in time either way, false for one that outlived the bound', async () => {
    await expect(within(later(5, 'ok'), 1000)).resolves.toBe(true);
    await expect(within(Promise.reject(new Error('refused')), 1000)).resolves.toBe(true);
    await expect(within(never(), 10)).resolves.toBe(false);
  });
});
