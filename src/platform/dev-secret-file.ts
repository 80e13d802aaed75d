import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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
 * A development secret kept in a file readable by its owner only, created with `fresh()` on
 * first use, so restarts and the maintainer's scripts agree on it. Never used in production.
 */
export async function readOrCreateSecretFile(path: string, fresh: () => string): Promise<string> {
  const existing = await readSecret(path);
  if (existing !== undefined) return existing;
  await mkdir(dirname(path), { recursive: true });
  const secret = fresh();
  try {
    // 'wx': when two processes start at once, the second reads the first one's secret.
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const written = await readSecret(path);
    if (written === undefined) throw new Error(`${path} exists but is empty`, { cause: err });
    return written;
  }
}
