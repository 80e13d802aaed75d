import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/**
 * Calls `onChange` soon after a file may have changed. fs.watch on the directory (not the
 * file: editors and atomic writers replace the file, which would orphan a file watch) gives
 * speed; a poll of the file's stat every `intervalMs` catches what fs.watch misses
 * (network filesystems, a directory that did not exist yet, a watcher that died).
 */
export interface FileWatch {
  close(): void;
}

const DEBOUNCE_MS = 20;

async function signature(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export function watchFile(path: string, intervalMs: number, onChange: () => void): FileWatch {
  const dir = dirname(path);
  const name = basename(path);
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let lastSignature: string | undefined;
  let closed = false;

  const trigger = () => {
    if (closed || debounce) return;
    debounce = setTimeout(() => {
      debounce = undefined;
      if (!closed) onChange();
    }, DEBOUNCE_MS);
    debounce.unref();
  };

  const startWatching = () => {
    if (watcher || closed) return;
    try {
      watcher = watch(dir, { persistent: false }, (_event, filename) => {
        if (!filename || filename.toString() === name) trigger();
      });
      watcher.on('error', () => {
        // The directory went away or the OS gave up: the poll carries on and re-watches.
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined;
    }
  };

  const poll = setInterval(() => {
    startWatching();
    void signature(path).then((current) => {
      if (lastSignature !== undefined && current !== lastSignature) trigger();
      lastSignature = current;
    });
  }, intervalMs);
  poll.unref();

  void signature(path).then((current) => {
    lastSignature ??= current;
  });
  startWatching();

  return {
    close() {
      closed = true;
      clearInterval(poll);
      if (debounce) clearTimeout(debounce);
      watcher?.close();
      watcher = undefined;
    },
  };
}
