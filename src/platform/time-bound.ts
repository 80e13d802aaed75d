/** A promise that outlived its bound. */
export class TimeBoundError extends Error {
  override name = 'TimeBoundError';
}

/**
 * The promise, or a rejection with `message` once `ms` have passed: one timer per operation, not
 * per Redis command or socket. The promise itself runs on; only the wait for it ends.
 */
export function bounded<R>(promise: Promise<R>, ms: number, message = `no answer within ${ms} ms`): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeBoundError(message)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Resolves true when the promise settles (either way) in time, false when the time ran out first. */
export function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return bounded(promise, ms).then(
    () => true,
    (err: unknown) => !(err instanceof TimeBoundError),
  );
}
