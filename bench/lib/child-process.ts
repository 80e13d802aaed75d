import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Systems under test run in child processes: on 2 cores the load generator (this process)
 * must not share the server's event loop, and each server gets a fresh JIT and heap, so one
 * target's warm-up or garbage never counts against the next.
 */

export interface CpuWindow {
  /** CPU time (user + system) the process used in the window, as a share of one core. */
  cores: number;
  wallMs: number;
}

export interface BenchChild<Ready> {
  name: string;
  pid: number;
  /** What the child said once it was ready (e.g. the port it listens on). */
  ready: Ready;
  call<R = unknown>(method: string, params?: unknown): Promise<R>;
  /** Starts a CPU-accounting window in the child; cpuRead() ends it. */
  cpuMark(): Promise<void>;
  cpuRead(): Promise<CpuWindow>;
  /** Asks the child to release what it holds and exit; kills it (by pid) if it does not. */
  close(): Promise<void>;
}

export type ChildMessage =
  | { kind: 'ready'; value: unknown }
  | { kind: 'failed'; error: string }
  | { kind: 'reply'; id: number; value?: unknown; error?: string };

export interface StartChildOptions {
  /** Set BENCH_PROFILE to a child's name (or "all") to write a V8 CPU profile of it under bench/results/profiles. */
  profileDir?: string;
  readyTimeoutMs?: number;
}

export const PROFILE_DIR = resolve(__dirname, '..', 'results', 'profiles');

export function wantsProfile(name: string): boolean {
  const wanted = (process.env.BENCH_PROFILE ?? '').split(',').map((s) => s.trim());
  return wanted.includes('all') || wanted.includes(name);
}

export async function startChild<Ready>(name: string, script: string, params: unknown, options: StartChildOptions = {}): Promise<BenchChild<Ready>> {
  const execArgv = ['--import', 'tsx'];
  if (wantsProfile(name)) {
    // A directory per child: the tsx loader thread writes a profile too, under V8's default name
    // (CPU.<date>.<time>.<pid>.<thread>.<seq>); the main thread's is the one with thread 0.
    const dir = join(options.profileDir ?? PROFILE_DIR, `${name}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child: ChildProcess = fork(script, [JSON.stringify(params)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = once(child, 'exit').then(() => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`${name} exited`));
    pending.clear();
  });

  const ready = await new Promise<Ready>((resolveReady, rejectReady) => {
    const timer = setTimeout(() => rejectReady(new Error(`${name} was not ready within ${options.readyTimeoutMs ?? 60_000} ms`)), options.readyTimeoutMs ?? 60_000);
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolveReady(message.value as Ready);
      } else if (message.kind === 'failed') {
        clearTimeout(timer);
        rejectReady(new Error(`${name} failed to start: ${message.error}`));
      } else if (message.kind === 'reply') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(`${name}: ${message.error}`));
        else waiter?.resolve(message.value);
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      rejectReady(new Error(`${name} exited before it was ready (code ${String(child.exitCode)})`));
    });
  }).catch(async (err: unknown) => {
    if (!exited && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    await exit;
    throw err;
  });

  const call = <R>(method: string, callParams?: unknown): Promise<R> => {
    if (exited) return Promise.reject(new Error(`${name} has exited`));
    const id = nextId++;
    return new Promise<R>((resolveCall, rejectCall) => {
      pending.set(id, { resolve: (v) => resolveCall(v as R), reject: rejectCall });
      child.send({ kind: 'call', id, method, params: callParams });
    });
  };

  return {
    name,
    pid: child.pid ?? -1,
    ready,
    call,
    cpuMark: () => call<void>('cpu.mark'),
    cpuRead: () => call<CpuWindow>('cpu.read'),
    async close() {
      if (exited) return;
      const timer = setTimeout(() => {
        if (!exited && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      }, 20_000);
      await call('close').catch(() => undefined);
      await exit;
      clearTimeout(timer);
    },
  };
}
