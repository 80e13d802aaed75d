import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseFlagsFile, serializeFlagsFile, toFlagStates, type FlagEntry, type FlagsFile } from './flags-file.schema';
import { validateFlagName, type FlagAdmin } from './flags.admin';
import { FlagsFileInvalidError } from './flags.errors';
import type { FlagState, Stickiness } from './flags.types';

async function readFlags(path: string): Promise<FlagsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { flags: {} };
    throw err;
  }
  const parsed = parseFlagsFile(text);
  if (!parsed.ok) throw new FlagsFileInvalidError(path, parsed.error);
  return parsed.file;
}

/**
 * Temp file in the same directory, flushed, then renamed over the original: a reader (the
 * running Jeeves) sees the old file or the new one, never half of one.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

function stateOf(name: string, entry: FlagEntry): FlagState {
  return { name, enabled: entry.enabled, rollout: entry.rollout, stickiness: entry.stickiness };
}

export function createFileFlagAdmin(file: string): FlagAdmin {
  const path = resolve(file);

  const update = async (name: string, change: (entry: FlagEntry) => FlagEntry): Promise<FlagState> => {
    validateFlagName(name);
    const flags = await readFlags(path);
    const current: FlagEntry = flags.flags[name] ?? { enabled: false, rollout: 100, stickiness: 'default' };
    const next = change(current);
    flags.flags = { ...flags.flags, [name]: next };
    await writeFileAtomically(path, serializeFlagsFile(flags));
    return stateOf(name, next);
  };

  return {
    target: `file ${path}`,
    list: async () => toFlagStates(await readFlags(path)),
    setEnabled: (name, enabled) => update(name, (entry) => ({ ...entry, enabled })),
    setRollout: (name, rollout, stickiness?: Stickiness) =>
      update(name, (entry) => ({ ...entry, enabled: true, rollout, stickiness: stickiness ?? entry.stickiness })),
  };
}
