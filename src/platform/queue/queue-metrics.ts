import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Metrics } from '../metrics';
import { callHandler, failureOutcome, type JobOutcome } from './job-runner';
import type { JobHandler, JobQueue, QueueCounts } from './queue';
import { decorateJobQueue } from './queue-decorator';

interface Instruments {
  processed: Counter<'queue' | 'outcome'>;
  duration: Histogram<'queue'>;
}

const OUTCOMES: JobOutcome[] = ['completed', 'retried', 'failed'];
const STATES: (keyof QueueCounts)[] = ['waiting', 'active', 'delayed', 'completed', 'failed'];
// One set per registry: the queue may be instrumented before or after the gauge is registered.
const byRegistry = new WeakMap<Registry, Instruments>();

function instruments(registry: Registry): Instruments {
  let found = byRegistry.get(registry);
  if (!found) {
    found = {
      processed: new Counter({
        name: 'jeeves_queue_jobs_processed_total',
        help: 'Tries of jobs that ended, by queue and outcome (completed, retried, failed)',
        labelNames: ['queue', 'outcome'] as const,
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'jeeves_queue_job_duration_seconds',
        help: 'Time a handler took for one try of a job, by queue',
        labelNames: ['queue'] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
    };
    byRegistry.set(registry, found);
  }
  return found;
}

function instrumentHandler<T>(queue: string, handler: JobHandler<T>, { processed, duration }: Instruments): JobHandler<T> {
  const labels = { queue };
  const byOutcome = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, { queue, outcome }])) as Record<JobOutcome, { queue: string; outcome: JobOutcome }>;
  // Built once per handler, not per job: this runs for every job (bench/README.md).
  const end = (outcome: JobOutcome, startedAt: number) => {
    duration.observe(labels, (performance.now() - startedAt) / 1000);
    processed.inc(byOutcome[outcome]);
  };
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
  const found = instruments(metrics.registry);
  return decorateJobQueue(queue, { work: (name, handler, options) => queue.work(name, instrumentHandler(name, handler, found), options) });
}

/**
 * Queue depth by queue and state, read from the backend on each scrape, next to the
 * processed counter and duration histogram (at zero until the first job, so rates work).
 */
export function registerQueueMetrics(queue: JobQueue, metrics: Metrics, queueNames: string[]): void {
  const { registry } = metrics;
  const { processed } = instruments(registry);
  for (const name of queueNames) for (const outcome of OUTCOMES) processed.inc({ queue: name, outcome }, 0);
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
