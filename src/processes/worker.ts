import { loadConfig } from '../config';
import { openInfrastructure } from '../infrastructure/infrastructure';
import { wireJeeves } from '../monolith/jeeves';
import { wireProbes } from '../monolith/wire-probes';
import { createDrain } from '../platform/drain';
import { runProcess, StartupError, STOP_TEARDOWN_MS } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';
import { listen } from '../platform/server';
import { startTracing } from '../platform/tracing';

/** A worker alone: consumes the queues; scale out by running more of these. */
void runProcess('jeeves worker', async () => {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'jeeves-worker' });
  const tracing = startTracing(config, 'jeeves-worker');
  if (config.WORKER_QUEUES.length === 0) throw new StartupError('WORKER_QUEUES=none: a worker that consumes no queue has nothing to do');
  if (!config.REDIS_URL) {
    logger.warn('REDIS_URL is unset: this worker has an in-process queue that no web process can feed; set REDIS_URL to share work');
  }
  const infra = await openInfrastructure({ config, logger });
  const jeeves = await wireJeeves(infra);
  // Probes and metrics only: a worker pool is probed and scraped like every other process.
  const drain = createDrain();
  const probes = await listen(wireProbes(infra, drain), config.PORT);
  await jeeves.startWorkers();
  logger.info({ queue: infra.queue.backend, port: probes.port }, 'Jeeves worker started');
  return {
    logger,
    running: {
      stop: async () => {
        // Not ready from now on, but /healthz and /metrics answer while the jobs finish.
        await drain.run(probes, 0);
        await jeeves.close();
        await infra.close(config.SHUTDOWN_GRACE_MS);
        await probes.close(0);
        await tracing.shutdown();
      },
    },
    stopWithinMs: config.SHUTDOWN_GRACE_MS + STOP_TEARDOWN_MS,
  };
});
