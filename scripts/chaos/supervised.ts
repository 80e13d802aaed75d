import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * One process of the chaos deployment, run as a supervisor (Kubernetes) would: started, probed
 * until ready, signalled, started again. Its output goes to a log file of its own.
 */
export interface Supervised {
  readonly name: string;
  running(): boolean;
  pid(): number | undefined;
  /** Spawns the process and resolves once `ready` says so; rejects if it exits first or takes too long. */
  start(): Promise<void>;
  /** Sends the signal and resolves when the process has exited (SIGKILL after `forceAfterMs`). */
  stop(signal: NodeJS.Signals, forceAfterMs?: number): Promise<void>;
  /** How often it was started. */
  starts(): number;
  /** Kills it if it runs and closes its log file: the end of the run. */
  close(): Promise<void>;
}

export interface SupervisedOptions {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Its own working directory (and HOME): nothing on disk is shared between processes. */
  dir: string;
  logDir: string;
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

/** Every child still alive, so that whatever happens to the run none outlives it. */
const alive = new Set<ChildProcess>();
const spawned: number[] = [];
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

/** Every process id ever started here, to check afterwards that none is left. */
export function spawnedPids(): number[] {
  return [...spawned];
}

export function killEverySupervised(): void {
  for (const child of alive) child.kill('SIGKILL');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function supervise(options: SupervisedOptions): Supervised {
  const { name, dir, logDir } = options;
  mkdirSync(dir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `${name}.log`);
  let log: WriteStream | undefined;
  let child: ChildProcess | undefined;
  let starts = 0;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const supervised: Supervised = {
    name,
    running,
    pid: () => (running() ? child!.pid : undefined),
    starts: () => starts,
    async start() {
      if (running()) throw new Error(`${name} is already running`);
      starts += 1;
      log ??= createWriteStream(logPath, { flags: 'a' });
      log.write(`--- start ${starts} at ${new Date().toISOString()}\n`);
      const started = spawn(options.command, options.args, {
        cwd: dir,
        env: { ...options.env, HOME: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      alive.add(started);
      if (started.pid !== undefined) spawned.push(started.pid);
      started.once('exit', (code, signal) => {
        alive.delete(started);
        log?.write(`--- exited (${signal ?? code}) at ${new Date().toISOString()}\n`);
      });
      started.stdout!.on('data', (chunk: Buffer) => log?.write(chunk));
      started.stderr!.on('data', (chunk: Buffer) => log?.write(chunk));
      const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
      while (Date.now() < deadline) {
        if (started.exitCode !== null || started.signalCode !== null) {
          throw new Error(`${name} exited (${started.signalCode ?? started.exitCode}) before it was ready:\n${tail(logPath)}`);
        }
        if (await options.ready().catch(() => false)) return;
        await sleep(100);
      }
      started.kill('SIGKILL');
      await exited(started);
      throw new Error(`${name} was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${tail(logPath)}`);
    },
    async stop(signal, forceAfterMs = 30_000) {
      const target = child;
      if (!target || !running()) return;
      target.kill(signal);
      const force = setTimeout(() => target.kill('SIGKILL'), forceAfterMs);
      await exited(target);
      clearTimeout(force);
    },
    async close() {
      await supervised.stop('SIGKILL');
      const closing = log;
      log = undefined;
      if (closing) await new Promise<void>((resolve) => closing.end(resolve));
    },
  };
  return supervised;
}

/** GET url answers 200 within a second. */
export async function answers200(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await res.arrayBuffer();
  return res.status === 200;
}
