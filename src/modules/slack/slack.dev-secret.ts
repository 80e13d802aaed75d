import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateSecretFile } from '../../platform/dev-secret-file';
import type { Logger } from '../../platform/logger';

export const DEV_SIGNING_SECRET_FILE = 'dev-signing-secret';

export interface ResolvedSigningSecret {
  secret: string;
  /** True when no SLACK_SIGNING_SECRET was configured and the development one is in use. */
  development: boolean;
}

export interface ResolveSigningSecretOptions {
  configured?: string | undefined;
  /** JEEVES_DATA_DIR: the development secret lives in `<dataDir>/dev-signing-secret`. */
  dataDir: string;
  logger: Logger;
}

/**
 * The configured signing secret, or a development one kept on disk so that Jeeves and
 * `npm run slack` (which reads the same file) agree across restarts. Production refuses
 * to start without a configured secret (config.ts), so this fallback never reaches it.
 */
export async function resolveSigningSecret({ configured, dataDir, logger }: ResolveSigningSecretOptions): Promise<ResolvedSigningSecret> {
  if (configured !== undefined && configured !== '') return { secret: configured, development: false };
  const path = join(dataDir, DEV_SIGNING_SECRET_FILE);
  const secret = await readOrCreateSecretFile(path, () => randomBytes(32).toString('hex'));
  logger.warn({ path }, `SLACK_SIGNING_SECRET is unset: using the development signing secret in ${path} (npm run slack signs with it)`);
  return { secret, development: true };
}
