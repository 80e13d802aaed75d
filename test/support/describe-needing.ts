/** What a suite needs that this run lacks, in the words its banner and its CI failure use. */
export interface Absence {
  /** "Redis", "a Redis Cluster". */
  needs: string;
  /** Why it is not there: "unreachable", "not configured". */
  state: string;
  /** How to provide it. */
  remedy: string;
}

/**
 * A suite that needs a real service runs when the service was found. Without it the suite is
 * skipped with a loud banner, except under CI=true, where the absence is a failing test.
 */
export function describeNeeding<T>(name: string, found: T | undefined, absence: Absence, body: (found: T) => void): void {
  if (found !== undefined) {
    describe(name, () => body(found));
    return;
  }
  const { needs, state, remedy } = absence;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${needs}, which is ${state} (CI=true makes that a failure)`, () => {
        throw new Error(`${needs} is required under CI=true but is ${state}: ${remedy}`);
      });
    });
    return;
  }
  const banner = `SKIPPED (${needs} ${state}; ${remedy}): ${name}`;
  process.stderr.write(`\n${'!'.repeat(banner.length)}\n${banner}\n${'!'.repeat(banner.length)}\n`);
  const skipped = describe.skip;
  // Jest still runs a skipped suite's body to list its tests; none of them runs, so nothing reads the value.
  skipped(name, () => body(undefined as unknown as T));
}
