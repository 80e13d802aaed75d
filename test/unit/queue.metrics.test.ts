import { createMetrics, type Metrics } from '../../src/platform/metrics';
import { createJobQueue, PermanentJobError, registerQueueMetrics, type JobQueue } from '../../src/platform/queue';
import { silentLogger, waitFor } from '../support/queue-helpers';

describe('queue metrics', () => {
  let metrics: Metrics;
  let queue: JobQueue;

  beforeEach(() => {
    metrics = createMetrics({ defaults: false });
    queue = createJobQueue({ logger: silentLogger(), metrics });
  });
  afterEach(() => queue.close(100));

  it('without a redisUrl, then the in-process backend is used', () => {
    expect(queue.backend).toBe('memory');
  });

  it('before any job ran, then each named queue reports zero processed jobs per outcome', async () => {
    registerQueueMetrics(queue, metrics, ['slack-replies']);
    const text = await metrics.registry.metrics();
    for (const outcome of ['completed', 'retried', 'failed']) {
      expect(text).toContain(`jeeves_queue_jobs_processed_total{queue="slack-replies",outcome="${outcome}"} 0`);
    }
  });

  it('when jobs complete, retry and fail, then each outcome is counted, timed, and depth is read on scrape', async () => {
    registerQueueMetrics(queue, metrics, ['jobs']);
    queue.work('jobs', async (job) => {
      if (job.name === 'flaky' && job.attemptsMade === 0) throw new Error('once');
      if (job.name === 'doomed') throw new PermanentJobError('never');
    });
    await queue.add('jobs', 'fine', {});
    await queue.add('jobs', 'flaky', {}, { backoffMs: 1 });
    await queue.add('jobs', 'doomed', {});
    await queue.add('jobs', 'later', {}, { delayMs: 60_000 });

    await waitFor(async () => {
      const counts = await queue.counts('jobs');
      return counts.completed === 2 && counts.failed === 1;
    }, 'three jobs to finish');
    const text = await metrics.registry.metrics();

    expect(text).toContain('jeeves_queue_jobs_processed_total{queue="jobs",outcome="completed"} 2');
    expect(text).toContain('jeeves_queue_jobs_processed_total{queue="jobs",outcome="retried"} 1');
    expect(text).toContain('jeeves_queue_jobs_processed_total{queue="jobs",outcome="failed"} 1');
    expect(text).toContain('jeeves_queue_job_duration_seconds_count{queue="jobs"} 4');
    expect(text).toContain('jeeves_queue_jobs{queue="jobs",state="delayed"} 1');
    expect(text).toContain('jeeves_queue_jobs{queue="jobs",state="failed"} 1');
  });

  it('when a handler throws before returning a promise, then the try is counted, timed and retried like a rejected one', async () => {
    let calls = 0;
    queue.work('jobs', (): Promise<void> => {
      calls += 1;
      if (calls === 1) throw new Error('thrown, not rejected');
      return Promise.resolve();
    });
    await queue.add('jobs', 'sync-throw', {}, { backoffMs: 1 });

    await waitFor(async () => (await queue.counts('jobs')).completed === 1, 'the job to complete on its second try');
    const text = await metrics.registry.metrics();

    expect(text).toContain('jeeves_queue_jobs_processed_total{queue="jobs",outcome="retried"} 1');
    expect(text).toContain('jeeves_queue_jobs_processed_total{queue="jobs",outcome="completed"} 1');
    expect(text).toContain('jeeves_queue_job_duration_seconds_count{queue="jobs"} 2');
  });

  it('when a try takes about 30 ms, then the duration histogram counts it from the 0.05 s bucket up, with its sum, as Prometheus reads a histogram', async () => {
    registerQueueMetrics(queue, metrics, ['jobs', 'idle']);
    queue.work('jobs', () => new Promise((resolve) => setTimeout(resolve, 30)));
    await queue.add('jobs', 'slow', {});

    await waitFor(async () => (await queue.counts('jobs')).completed === 1, 'the job to complete');
    const text = await metrics.registry.metrics();

    expect(text).toContain('# TYPE jeeves_queue_job_duration_seconds histogram');
    const bucket = (le: string) => Number(new RegExp(`^jeeves_queue_job_duration_seconds_bucket\\{le="${le.replace('+', '\\+')}",queue="jobs"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    expect([bucket('0.005'), bucket('0.01'), bucket('0.025')]).toEqual([0, 0, 0]);
    expect([bucket('0.05'), bucket('1'), bucket('30'), bucket('+Inf')]).toEqual([1, 1, 1, 1]);
    const sum = Number(/^jeeves_queue_job_duration_seconds_sum\{queue="jobs"\} ([\d.e-]+)$/m.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(0.025);
    expect(sum).toBeLessThan(0.05);
    expect(text).toContain('jeeves_queue_job_duration_seconds_count{queue="jobs"} 1');
    // A named queue with no job yet is at zero, not missing.
    expect(text).toContain('jeeves_queue_job_duration_seconds_count{queue="idle"} 0');
  });

  it('when scraped twice, then the processed counter does not count the same tries again', async () => {
    registerQueueMetrics(queue, metrics, ['jobs']);
    queue.work('jobs', async () => undefined);
    await queue.add('jobs', 'one', {});
    await waitFor(async () => (await queue.counts('jobs')).completed === 1, 'the first job');
    await metrics.registry.metrics();
    await queue.add('jobs', 'two', {});
    await waitFor(async () => (await queue.counts('jobs')).completed === 2, 'the second job');

    const text = await metrics.registry.metrics();
    expect(text).toContain('jeeves_queue_jobs_processed_total{queue="jobs",outcome="completed"} 2');
    expect(text).toContain('jeeves_queue_job_duration_seconds_count{queue="jobs"} 2');
  });

  it('when the backend cannot give counts, then the scrape still succeeds without depth', async () => {
    const broken: JobQueue = { ...queue, counts: () => Promise.reject(new Error('Redis down')) };
    registerQueueMetrics(broken, metrics, ['jobs']);

    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE jeeves_queue_jobs gauge');
    expect(text).not.toContain('jeeves_queue_jobs{');
  });
});
