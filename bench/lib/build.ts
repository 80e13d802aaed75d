import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
/** What `npm run build` writes; its time is the build's. */
export const BUILT_MONOLITH = join(ROOT, 'dist', 'src', 'processes', 'main.js');
/** tsconfig.build.json's include, and what decides how it compiles. */
const SOURCES = ['src', 'migrations', 'extracted', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newestMtime(join(path, e))));
  return Math.max(0, ...times);
}

/** Why dist/ must be rebuilt before it is measured, or undefined when it is up to date. */
export async function staleBuild(root = ROOT): Promise<string | undefined> {
  const built = await stat(join(root, 'dist', 'src', 'processes', 'main.js')).catch(() => undefined);
  if (!built) return 'dist/ is missing';
  const times = await Promise.all(SOURCES.map((s) => newestMtime(join(root, s))));
  return Math.max(...times) > built.mtimeMs ? 'a source is newer than dist/' : undefined;
}

/** Runs `npm run build` when dist/ is missing or older than a source, so the figures are of this tree. */
export async function ensureBuild(log: (message: string) => void): Promise<void> {
  const why = await staleBuild();
  if (!why) return;
  log(`${why}: npm run build`);
  const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`npm run build failed (exit ${String(code)})`);
}
