import { loadConfig } from '../config';
import { openInfrastructure } from '../infrastructure/infrastructure';
import { wireJeeves } from '../monolith/jeeves';
import { runProcess, STOP_TEARDOWN_MS } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';
import { listen } from '../platform/server';

/** The monolith: web and worker in one process. */
void runProcess('jeeves', async () => {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const infra = await openInfrastructure({ config, logger });
  const jeeves = await wireJeeves(infra);
  await jeeves.startWorkers();
  const server = await listen(jeeves.app, config.PORT);
  logger.info({ port: server.port }, `Jeeves is listening on http://localhost:${server.port}`);
  return {
    logger,
    running: {
      stop: async () => {
        await server.close();
        await jeeves.close();
        await infra.close(config.SHUTDOWN_GRACE_MS);
      },
    },
    stopWithinMs: config.SHUTDOWN_GRACE_MS + STOP_TEARDOWN_MS,
  };
});
