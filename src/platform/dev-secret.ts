import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
 * A development secret kept in `<dataDir>/<fileName>` (owner-only), created at the first
 * start, so restarts and the other processes on this machine agree on it. Production
 * refuses to start without the configured secret (config.ts), so this never reaches it.
 */
export async function readOrCreateDevSecret(
  dataDir: string,
  fileName: string,
  fresh: () => string = () => randomBytes(32).toString('hex'),
): Promise<{ secret: string; path: string }> {
  const path = join(dataDir, fileName);
  let secret = await readSecret(path);
  if (secret === undefined) {
    await mkdir(dataDir, { recursive: true });
    const created = fresh();
    try {
      // 'wx': when two processes start at once, the second reads the first one's secret.
      await writeFile(path, `${created}\n`, { mode: 0o600, flag: 'wx' });
      secret = created;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      secret = await readSecret(path);
      if (secret === undefined) throw new Error(`${path} exists but is empty`, { cause: err });
    }
  }
  return { secret, path };
}
