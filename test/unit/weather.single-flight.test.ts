import { createSingleFlight } from '../../src/modules/weather/weather.single-flight';

/** A promise the test settles by hand, so overlap is certain rather than timed. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('single flight', () => {
  it('when calls with one key overlap, then the work runs once and every caller gets its result', async () => {
    const flight = createSingleFlight();
    const gate = deferred<string>();
    const work = jest.fn(() => gate.promise);
    const calls = [flight('k', work), flight('k', work), flight('k', work)];
    gate.resolve('answer');
    await expect(Promise.all(calls)).resolves.toEqual(['answer', 'answer', 'answer']);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('when calls have different keys, then each runs its own work', async () => {
    const flight = createSingleFlight();
    const work = jest.fn(async () => 'x');
    await Promise.all([flight('a', work), flight('b', work)]);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('when the work fails, then every overlapping caller gets that failure', async () => {
    const flight = createSingleFlight();
    const gate = deferred<string>();
    const calls = [flight('k', () => gate.promise), flight('k', () => gate.promise)];
    gate.reject(new Error('down'));
    const results = await Promise.allSettled(calls);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('when a call has settled, then the next call with that key runs the work again (nothing is remembered)', async () => {
    const flight = createSingleFlight();
    const work = jest.fn(async () => 'x');
    await flight('k', work);
    await expect(flight('k', async () => Promise.reject(new Error('first fails')))).rejects.toThrow('first fails');
    await flight('k', work);
    expect(work).toHaveBeenCalledTimes(2);
  });
});
