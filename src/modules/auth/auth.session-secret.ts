import { readOrCreateDevSecret } from '../../platform/dev-secret';
import type { Logger } from '../../platform/logger';

export const DEV_SESSION_SECRET_FILE = 'dev-session-secret';

export interface ResolveSessionSecretOptions {
  /** SESSION_SECRET; production refuses to start without it (config.ts). */
  configured?: string | undefined;
  /** JEEVES_DATA_DIR: the development secret lives in `<dataDir>/dev-session-secret`. */
  dataDir: string;
  logger: Logger;
}

/** SESSION_SECRET, or a development one kept on disk so sessions survive a restart. */
export async function resolveSessionSecret({ configured, dataDir, logger }: ResolveSessionSecretOptions): Promise<string> {
  if (configured !== undefined && configured !== '') return configured;
  const { secret, path } = await readOrCreateDevSecret(dataDir, DEV_SESSION_SECRET_FILE);
  logger.warn({ path }, `SESSION_SECRET is unset: signing sessions with the development secret in ${path}`);
  return secret;
}
