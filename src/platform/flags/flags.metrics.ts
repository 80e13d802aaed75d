import { Counter, Gauge, type Registry } from 'prom-client';

/** Counts evaluations by flag and result, and exposes how many flags are known. */
export interface FlagMetrics {
  count(name: string, result: boolean): void;
}

interface Tally {
  on: number;
  off: number;
  reportedOn: number;
  reportedOff: number;
}

/** Flag names come from code, so they are few; this only guards against a bug asking for random names. */
const MAX_FLAG_LABELS = 500;
const OVERFLOW_LABEL = '_other';

export const noFlagMetrics: FlagMetrics = { count: () => undefined };

/**
 * Each evaluation bumps a plain number and the counter catches up when scraped: a labelled
 * inc() per evaluation would not fit the flags target (bench/README.md).
 * One resolver per registry: the metric names are registered once.
 */
export function createFlagMetrics(registry: Registry, knownFlags: () => number): FlagMetrics {
  const tallies = new Map<string, Tally>();

  new Counter({
    name: 'jeeves_flag_evaluations_total',
    help: 'Feature flag evaluations, by flag and result',
    labelNames: ['flag', 'result'] as const,
    registers: [registry],
    collect() {
      for (const [flag, t] of tallies) {
        if (t.on > t.reportedOn) this.inc({ flag, result: 'on' }, t.on - t.reportedOn);
        if (t.off > t.reportedOff) this.inc({ flag, result: 'off' }, t.off - t.reportedOff);
        t.reportedOn = t.on;
        t.reportedOff = t.off;
      }
    },
  });
  new Gauge({
    name: 'jeeves_flags_known',
    help: 'Feature flags currently known to this process',
    registers: [registry],
    collect() {
      this.set(knownFlags());
    },
  });

  return {
    count(name, result) {
      let tally = tallies.get(name);
      if (tally === undefined) {
        const label = tallies.size < MAX_FLAG_LABELS ? name : OVERFLOW_LABEL;
        tally = tallies.get(label) ?? { on: 0, off: 0, reportedOn: 0, reportedOff: 0 };
        tallies.set(label, tally);
      }
      if (result) tally.on++;
      else tally.off++;
    },
  };
}
