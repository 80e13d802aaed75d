import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

async function readSecret(path: string): Promise<string | undefined> {
  try {
    const secret = (await readFile(path, 'utf8')).trim();
    return secret === '' ? undefined : secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The configured signing secret, or a development one kept on disk so that Jeeves and
 * `npm run slack` (which reads the same file) agree across restarts. Production refuses
 * to start without a configured secret (config.ts), so this fallback never reaches it.
 */
export async function resolveSigningSecret({ configured, dataDir, logger }: ResolveSigningSecretOptions): Promise<ResolvedSigningSecret> {
  if (configured !== undefined && configured !== '') return { secret: configured, development: false };
  const path = join(dataDir, DEV_SIGNING_SECRET_FILE);
  let secret = await readSecret(path);
  if (secret === undefined) {
    await mkdir(dataDir, { recursive: true });
    const fresh = randomBytes(32).toString('hex');
    try {
      // 'wx': when two processes start at once, the second reads the first one's secret.
      await writeFile(path, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
      secret = fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      secret = await readSecret(path);
      if (secret === undefined) throw new Error(`${path} exists but is empty`, { cause: err });
    }
  }
  logger.warn({ path }, `SLACK_SIGNING_SECRET is unset: using the development signing secret in ${path} (npm run slack signs with it)`);
  return { secret, development: true };
}
