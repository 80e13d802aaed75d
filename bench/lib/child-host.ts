import type { ChildMessage } from './child-process';

/** What a child script hands the host: the value announced as ready, extra methods, and its teardown. */
export interface HostedChild {
  ready: unknown;
  methods?: Record<string, (params: unknown) => unknown>;
  close(): Promise<void>;
}

type Call = { kind: 'call'; id: number; method: string; params?: unknown };

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * The child side of child-process.ts: parses the params given on the command line, starts
 * the system under test, then answers the parent's calls (cpu.mark, cpu.read, close, and
 * the child's own methods) until told to close.
 */
export function hostChild<P>(start: (params: P) => Promise<HostedChild>): void {
  // An orphan would keep ports, Redis connections and CPU: leave with the parent.
  process.on('disconnect', () => process.exit(1));
  const params = JSON.parse(process.argv[2] ?? '{}') as P;
  let cpuStart = process.cpuUsage();
  let wallStart = performance.now();
  void start(params).then(
    async (hosted) => {
      const builtIn: Record<string, (p: unknown) => unknown> = {
        'cpu.mark': () => {
          cpuStart = process.cpuUsage();
          wallStart = performance.now();
        },
        'cpu.read': () => {
          const used = process.cpuUsage(cpuStart);
          const wallMs = performance.now() - wallStart;
          return { cores: (used.user + used.system) / 1000 / wallMs, wallMs };
        },
      };
      process.on('message', (message: Call) => {
        if (message.kind !== 'call') return;
        if (message.method === 'close') {
          void hosted
            .close()
            .catch((err: unknown) => process.stderr.write(`bench child: close failed: ${describe(err)}\n`))
            .then(() => send({ kind: 'reply', id: message.id, value: null }))
            // exit() rather than waiting for the loop to drain: --cpu-prof still writes its profile.
            .then(() => process.exit(0));
          return;
        }
        const method = hosted.methods?.[message.method] ?? builtIn[message.method];
        if (!method) {
          void send({ kind: 'reply', id: message.id, error: `no method ${message.method}` });
          return;
        }
        Promise.resolve()
          .then(() => method(message.params))
          .then(
            (value) => send({ kind: 'reply', id: message.id, value: value ?? null }),
            (err: unknown) => send({ kind: 'reply', id: message.id, error: describe(err) }),
          );
      });
      await send({ kind: 'ready', value: hosted.ready });
    },
    async (err: unknown) => {
      await send({ kind: 'failed', error: describe(err) });
      process.exit(1);
    },
  );
}
