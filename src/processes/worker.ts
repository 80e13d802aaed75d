import { loadConfig } from '../config';
import { openInfrastructure } from '../infrastructure/infrastructure';
import { wireJeeves } from '../monolith/jeeves';
import { runProcess, STOP_TEARDOWN_MS } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';

/** A worker alone: consumes the queues; scale out by running more of these. */
void runProcess('jeeves worker', async () => {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'jeeves-worker' });
  if (!config.REDIS_URL) {
    logger.warn('REDIS_URL is unset: this worker has an in-process queue that no web process can feed; set REDIS_URL to share work');
  }
  const infra = await openInfrastructure({ config, logger });
  const jeeves = await wireJeeves(infra);
  await jeeves.startWorkers();
  logger.info({ queue: infra.queue.backend }, 'Jeeves worker started');
  return {
    logger,
    running: {
      stop: async () => {
        await jeeves.close();
        await infra.close(config.SHUTDOWN_GRACE_MS);
      },
    },
    stopWithinMs: config.SHUTDOWN_GRACE_MS + STOP_TEARDOWN_MS,
  };
});
