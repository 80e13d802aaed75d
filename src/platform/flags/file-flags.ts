import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { currentContext } from '../context';
import type { Logger } from '../logger';
import { watchFile } from './file-watch';
import { parseFlagsFile, toFlagStates } from './flags-file.schema';
import { createFlagListeners, describeFlags, sameFlags } from './flags.listeners';
import { noFlagMetrics, type FlagMetrics } from './flags.metrics';
import type { FlagContext, FlagResolver, FlagState } from './flags.types';
import { inRollout } from './rollout';

export interface FileFlagsOptions {
  /** The JSON file (see flags-file.schema.ts); relative paths are from the working directory. */
  file: string;
  /** How often the file's stat is polled, in case fs.watch misses a change. */
  refreshMs: number;
  logger: Logger;
  metrics?: FlagMetrics;
}

/**
 * A file that vanishes may be an editor saving it (rename the old away, write the new): look
 * again after this long before switching every flag off.
 */
const VANISHED_GRACE_MS = 100;

type Status = { kind: 'loading' } | { kind: 'known' } | { kind: 'invalid'; error: string } | { kind: 'closed' };

/** Flags from FLAGS_FILE, reloaded when it changes. A missing file means every flag is off. */
export function createFileFlagResolver(options: FileFlagsOptions): FlagResolver {
  const path = resolve(options.file);
  const logger = options.logger.child({ flags: 'file', file: path });
  const metrics = options.metrics ?? noFlagMetrics;
  const listeners = createFlagListeners(logger);

  let flags = new Map<string, FlagState>();
  let states: FlagState[] = [];
  let status: Status = { kind: 'loading' };
  let lastText: string | null | undefined; // null: the file was missing
  let running: Promise<void> | undefined;
  let rerun = false;

  const apply = (next: FlagState[], why: string) => {
    if (status.kind === 'closed') return;
    const first = status.kind !== 'known';
    status = { kind: 'known' };
    if (!first && sameFlags(states, next)) return;
    states = next;
    flags = new Map(next.map((f) => [f.name, f]));
    logger.info({ flags: describeFlags(next) }, why);
    listeners.emit(next);
  };

  const read = async (): Promise<string | null> => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  };

  const loadOnce = async () => {
    let text: string | null;
    try {
      text = await read();
      if (text === null && typeof lastText === 'string') {
        await delay(VANISHED_GRACE_MS);
        text = await read();
      }
    } catch (err) {
      logger.warn({ err }, 'cannot read the flags file: keeping the last known flags');
      if (status.kind === 'loading') status = { kind: 'invalid', error: String(err) };
      return;
    }
    if (text === lastText && status.kind !== 'loading') return;
    lastText = text;
    if (text === null) {
      apply([], 'no flags file: every flag is off');
      return;
    }
    const parsed = parseFlagsFile(text);
    if (!parsed.ok) {
      logger.warn({ error: parsed.error }, 'the flags file is invalid: keeping the last known flags');
      if (status.kind !== 'known') status = { kind: 'invalid', error: parsed.error };
      return;
    }
    apply(toFlagStates(parsed.file), 'flags loaded');
  };

  /** One load at a time; a change seen during a load is read again right after it. */
  const reload = (): Promise<void> => {
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      do {
        rerun = false;
        await loadOnce();
      } while (rerun && status.kind !== 'closed');
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const watch = watchFile(path, options.refreshMs, () => void reload());
  const first = reload();

  return {
    isEnabled(name: string, context?: FlagContext): boolean {
      const flag = flags.get(name);
      const result =
        flag !== undefined && flag.enabled && inRollout(name, flag.rollout, flag.stickiness, context ?? currentContext());
      metrics.count(name, result);
      return result;
    },
    list: () => states.slice(),
    ready: () => first,
    async ping() {
      if (status.kind === 'loading') throw new Error('flags file not read yet');
      if (status.kind === 'closed') throw new Error('flags resolver closed');
      if (status.kind === 'invalid') {
        throw new Error(`flags file ${path} is invalid (${status.error}) and no earlier state is known`);
      }
    },
    on: (_event, listener) => listeners.add(listener),
    async close() {
      status = { kind: 'closed' };
      watch.close();
      await running;
    },
  };
}
