import { usersService } from '../../extracted/users/main';
import { weatherService } from '../../extracted/weather/main';
import { loadConfig, type Env } from '../../src/config';
import { createLogger } from '../../src/platform/logger';
import { startService } from '../../src/service-host/service-host';
import { hostChild } from '../lib/child-host';

export interface ExtractedServiceParams {
  name: 'users' | 'weather';
  env: Env;
  port: number;
  /** startService's fastReads; default on, as `npm run service` runs it. */
  fastReads?: boolean;
}

/** An extracted service exactly as `npm run service -- NAME` runs it: its host, its token guard, its own config. */
hostChild<ExtractedServiceParams>(async ({ name, env, port, fastReads }) => {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL, name: `jeeves-bench-${name}` });
  const service = await startService(name === 'users' ? usersService : weatherService, { config, port, logger, ...(fastReads === undefined ? {} : { fastReads }) });
  return { ready: { url: service.url }, close: () => service.close() };
});
