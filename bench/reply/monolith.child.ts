import { loadConfig, type Env } from '../../src/config';
import { openInfrastructure } from '../../src/infrastructure/infrastructure';
import { wireJeeves } from '../../src/monolith/jeeves';
import { createLogger } from '../../src/platform/logger';
import { listen } from '../../src/platform/server';
import { hostChild } from '../lib/child-host';

export interface MonolithChildParams {
  /** The environment the monolith is configured from, exactly as `npm start` would read it. */
  env: Env;
  /** Start the queue consumers (events and deliveries) in this process, as `npm start` does. */
  workers: boolean;
  /** Serve HTTP (the web side); a worker alone does not. */
  web: boolean;
}

/** The monolith wired exactly as src/processes/main.ts (web) or src/processes/worker.ts (worker) wires it. */
hostChild<MonolithChildParams>(async ({ env, workers, web }) => {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'jeeves-bench' });
  const infra = await openInfrastructure({ config, logger });
  const jeeves = await wireJeeves(infra);
  const server = web ? await listen(jeeves.app, 0, '127.0.0.1') : undefined;
  if (workers) await jeeves.startWorkers();
  return {
    ready: { port: server?.port ?? 0 },
    close: async () => {
      await server?.close();
      await infra.close(2000);
    },
  };
});
