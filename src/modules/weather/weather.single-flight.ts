/**
 * Coalesces concurrent calls with the same key into one: a burst of identical lookups
 * asks the provider once and every caller gets that one answer (or that one error).
 * Nothing is remembered after the call settles; the cache does that.
 */
export type SingleFlight = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function createSingleFlight(): SingleFlight {
  const inFlight = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const running = inFlight.get(key);
    if (running) return running as Promise<T>;
    const started = (async () => {
      try {
        return await work();
      } finally {
        inFlight.delete(key);
      }
    })();
    inFlight.set(key, started);
    return started;
  };
}
