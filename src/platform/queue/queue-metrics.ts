import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import type { Metrics } from '../metrics';
import { callHandler, failureOutcome, type JobOutcome } from './job-runner';
import type { JobHandler, JobQueue, QueueCounts } from './queue';
import { decorateJobQueue } from './queue-decorator';

const OUTCOMES: JobOutcome[] = ['completed', 'retried', 'failed'];
const STATES: (keyof QueueCounts)[] = ['waiting', 'active', 'delayed', 'completed', 'failed'];
const DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DURATION_NAME = 'jeeves_queue_job_duration_seconds';

/** One queue's tries in plain numbers: what a job's end costs is a few additions (bench/README.md). */
class QueueTally {
  readonly ended: Record<JobOutcome, number> = { completed: 0, retried: 0, failed: 0 };
  readonly reported: Record<JobOutcome, number> = { completed: 0, retried: 0, failed: 0 };
  /** Tries per duration bucket, not cumulative; the last one is past every bound (+Inf). */
  readonly buckets = new Array<number>(DURATION_BOUNDS.length + 1).fill(0);
  sum = 0;
  count = 0;

  record(outcome: JobOutcome, seconds: number): void {
    this.ended[outcome] += 1;
    let i = 0;
    while (i < DURATION_BOUNDS.length && seconds > DURATION_BOUNDS[i]!) i++;
    this.buckets[i]! += 1;
    this.sum += seconds;
    this.count += 1;
  }
}

interface Instruments {
  tallies: Map<string, QueueTally>;
  tallyOf(queue: string): QueueTally;
}

// One set per registry: the queue may be instrumented before or after the gauge is registered.
const byRegistry = new WeakMap<Registry, Instruments>();

/**
 * The duration histogram, written from the tallies when scraped, in the shape prom-client's own
 * Histogram gives (cumulative `_bucket` series by `le`, `_sum`, `_count`). prom-client's
 * observe() builds and hashes a label set on every call, about a microsecond a job.
 */
function durationHistogram(tallies: Map<string, QueueTally>) {
  const help = 'Time a handler took for one try of a job, by queue';
  return {
    name: DURATION_NAME,
    help,
    type: 'histogram' as const,
    aggregator: 'sum' as const,
    get() {
      const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
      for (const [queue, tally] of tallies) {
        let cumulative = 0;
        DURATION_BOUNDS.forEach((le, i) => {
          cumulative += tally.buckets[i]!;
          values.push({ metricName: `${DURATION_NAME}_bucket`, labels: { le, queue }, value: cumulative });
        });
        values.push({ metricName: `${DURATION_NAME}_bucket`, labels: { le: '+Inf', queue }, value: tally.count });
        values.push({ metricName: `${DURATION_NAME}_sum`, labels: { queue }, value: tally.sum });
        values.push({ metricName: `${DURATION_NAME}_count`, labels: { queue }, value: tally.count });
      }
      return Promise.resolve({ name: DURATION_NAME, help, type: 'histogram' as const, aggregator: 'sum' as const, values });
    },
    reset: () => undefined,
  };
}

function instruments(registry: Registry): Instruments {
  let found = byRegistry.get(registry);
  if (!found) {
    const tallies = new Map<string, QueueTally>();
    // The counter catches up with the tallies when scraped, as flags.metrics.ts does.
    new Counter({
      name: 'jeeves_queue_jobs_processed_total',
      help: 'Tries of jobs that ended, by queue and outcome (completed, retried, failed)',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
      collect() {
        for (const [queue, tally] of tallies) {
          for (const outcome of OUTCOMES) {
            this.inc({ queue, outcome }, tally.ended[outcome] - tally.reported[outcome]);
            tally.reported[outcome] = tally.ended[outcome];
          }
        }
      },
    });
    registry.registerMetric(durationHistogram(tallies) as unknown as Metric);
    const tallyOf = (queue: string) => {
      let tally = tallies.get(queue);
      if (!tally) {
        tally = new QueueTally();
        tallies.set(queue, tally);
      }
      return tally;
    };
    found = { tallies, tallyOf };
    byRegistry.set(registry, found);
  }
  return found;
}

function instrumentHandler<T>(handler: JobHandler<T>, tally: QueueTally): JobHandler<T> {
  // Built once per handler, not per job: this runs for every job (bench/README.md).
  const end = (outcome: JobOutcome, startedAt: number) => tally.record(outcome, (performance.now() - startedAt) / 1000);
  return (job) => {
    const startedAt = performance.now();
    return callHandler(handler, job).then(
      () => end('completed', startedAt),
      (err: unknown) => {
        end(failureOutcome(err, job), startedAt);
        throw err;
      },
    );
  };
}

/** The same queue, with every handler given to work() counted and timed. */
export function instrumentJobQueue(queue: JobQueue, metrics: Metrics): JobQueue {
  const { tallyOf } = instruments(metrics.registry);
  return decorateJobQueue(queue, { work: (name, handler, options) => queue.work(name, instrumentHandler(handler, tallyOf(name)), options) });
}

/**
 * Queue depth by queue and state, read from the backend on each scrape, next to the
 * processed counter and duration histogram (at zero until the first job, so rates work).
 */
export function registerQueueMetrics(queue: JobQueue, metrics: Metrics, queueNames: string[]): void {
  const { registry } = metrics;
  // At zero until the first job, so rates work from the first scrape.
  const { tallyOf } = instruments(registry);
  for (const name of queueNames) tallyOf(name);
  new Gauge({
    name: 'jeeves_queue_jobs',
    help: 'Jobs in each queue by state, read on scrape',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queueNames.map(async (name) => {
          try {
            const counts = await queue.counts(name);
            for (const state of STATES) this.set({ queue: name, state }, counts[state]);
          } catch {
            // An unreachable backend leaves the series out; /readyz says why.
          }
        }),
      );
    },
  });
}
