import { loadConfig } from '../config';
import { openInfrastructure } from '../infrastructure/infrastructure';
import { wireJeeves } from '../monolith/jeeves';
import { createDrain } from '../platform/drain';
import { runProcess, STOP_TEARDOWN_MS } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';
import { listen } from '../platform/server';
import { startTracing } from '../platform/tracing';

/** The monolith: web and worker in one process. */
void runProcess('jeeves', async () => {
  const config = loadConfig();
  const tracing = startTracing(config, 'jeeves');
  const logger = createLogger({ level: config.LOG_LEVEL });
  const infra = await openInfrastructure({ config, logger });
  const drain = createDrain();
  const jeeves = await wireJeeves(infra, { drain });
  await jeeves.startWorkers();
  const server = await listen(jeeves.app, config.PORT);
  logger.info({ port: server.port }, `Jeeves is listening on http://localhost:${server.port}`);
  return {
    logger,
    running: {
      stop: async () => {
        logger.info({ drainMs: config.SHUTDOWN_DRAIN_MS }, 'draining: /readyz answers 503 while load balancers stop sending here');
        await drain.run(server, config.SHUTDOWN_DRAIN_MS);
        // Requests and jobs finish side by side within one grace period; the database stays until both have.
        await Promise.all([server.close(config.SHUTDOWN_GRACE_MS), infra.queue.close(config.SHUTDOWN_GRACE_MS)]);
        await jeeves.close();
        await infra.close(config.SHUTDOWN_GRACE_MS);
        await tracing.shutdown();
      },
    },
    stopWithinMs: config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_GRACE_MS + STOP_TEARDOWN_MS,
  };
});
