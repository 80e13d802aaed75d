import type { BenchRow } from './results';
import type { ScratchDatabase } from './scratch-database';
import type { ScratchRedis } from './scratch-redis';

/** How long each measurement runs: `--quick` trades precision for a run of about a minute. */
export interface BenchSettings {
  /** Rounds of each ingest measurement, targets interleaved; the median round is reported. */
  rounds: number;
  /** Seconds one full-speed ingest run should last (its request count is sized from the warm-up's rate). */
  maxSeconds: number;
  /** Seconds of one steady-rate ingest run. */
  steadySeconds: number;
  /** Seconds of the event-to-reply run (20 s at 200/s: 4,000 events, so its p99 is not a handful of calls). */
  replySeconds: number;
  /** Calls per remote-vs-in-process measurement: a p99 of 1,000 calls is its 10th-worst call, 5,000 steadies it. */
  remoteCalls: number;
  /** Messages per delivery run. */
  deliveryMessages: number;
  /**
   * Rounds of each delivery side, interleaved; the round whose ratio to its baseline's in the
   * same round is the median is reported. More than ingest's: a round lasts about a second, and
   * on 2 cores shared by the workers, Redis and the stand-in one round can differ from the next by half.
   */
  deliveryRounds: number;
}

export const FULL_SETTINGS: BenchSettings = { rounds: 3, maxSeconds: 3, steadySeconds: 6, replySeconds: 20, remoteCalls: 5000, deliveryMessages: 4000, deliveryRounds: 31 };
export const QUICK_SETTINGS: BenchSettings = { rounds: 1, maxSeconds: 2, steadySeconds: 3, replySeconds: 5, remoteCalls: 300, deliveryMessages: 2000, deliveryRounds: 1 };

/** What every section is given: the run's identity, its scratch services, and its settings. */
export interface BenchContext {
  /** Unique per run: event ids, key prefixes and database names are built from it. */
  runId: string;
  settings: BenchSettings;
  signingSecret: string;
  /** JEEVES_DATA_DIR of every Jeeves process of the run: a temporary directory, removed at the end. */
  dataDir: string;
  /** The scratch Redis database, claimed on first use. */
  redis(): Promise<ScratchRedis>;
  /** The scratch PostgreSQL database (migrated), created on first use. */
  database(): Promise<ScratchDatabase>;
  /** Progress, to stderr: stdout carries only the table. */
  log(message: string): void;
}

export interface BenchSection {
  id: string;
  /** The issue whose "Benchmarks" section this implements. */
  issue: number;
  title: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
  /** Set when the section has a compact table of its own, printed after the main one. */
  summary?(rows: BenchRow[]): string;
  /** The section runs `node dist/...`: the bench builds first when dist/ is missing or stale. */
  needsBuild?: boolean;
}
