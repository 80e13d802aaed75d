import type { Infrastructure } from '../infrastructure/infrastructure';
import { createAuth, resolveSessionSecret, type Auth } from '../modules/auth';
import { moduleLogger } from '../platform/logger';

/** Sign in with Slack, sessions, roles and CSRF: what the pages and the admin API put in front of themselves. */
export async function wireAuth(infra: Infrastructure): Promise<Auth> {
  const { config, dataSource } = infra;
  const logger = moduleLogger(infra.logger, 'auth');
  return createAuth({
    dataSource,
    logger,
    sessionSecret: await resolveSessionSecret({ configured: config.SESSION_SECRET, dataDir: config.JEEVES_DATA_DIR, logger }),
    publicUrl: config.PUBLIC_URL,
    slack: { openIdUrl: config.SLACK_OPENID_URL, apiUrl: config.SLACK_API_URL, clientId: config.SLACK_CLIENT_ID, clientSecret: config.SLACK_CLIENT_SECRET },
  });
}
