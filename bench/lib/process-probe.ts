import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { CpuWindow } from './child-process';

/**
 * A Jeeves process exactly as a deployment runs it (`node dist/...`, or tsx for comparison),
 * observed from outside: spawn to the first /readyz 200, resident memory and CPU from /proc.
 */

export interface SpawnedProcessOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Polled from spawn until it answers 200. */
  readyUrl: string;
  readyTimeoutMs?: number;
  /** Between two polls of readyUrl. */
  pollMs?: number;
}

export interface SpawnedProcess {
  name: string;
  pid: number;
  /** Milliseconds from spawn() to the first 200 from readyUrl. */
  startupMs: number;
  /** How many times readyUrl was asked before it answered 200 (that answer included). */
  polls: number;
  /** VmRSS now, in bytes. */
  residentBytes(): Promise<number>;
  /** Starts a CPU window (user + system, from /proc/<pid>/stat); cpuRead() ends it. */
  cpuMark(): Promise<void>;
  cpuRead(): Promise<CpuWindow>;
  /** SIGTERM, then SIGKILL (by pid) if it has not exited within killAfterMs. */
  close(killAfterMs?: number): Promise<void>;
}

/** VmRSS of a process, in bytes, from /proc/<pid>/status. */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds a process has used, from /proc/<pid>/stat (fields 14 and 15). */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count from its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export async function spawnProcess(options: SpawnedProcessOptions): Promise<SpawnedProcess> {
  const pollMs = options.pollMs ?? 10;
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const started = performance.now();
  // Its log lines go to stderr with the bench's progress: stdout carries only the table.
  const child: ChildProcess = spawn(options.command, options.args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 2, 2] });
  let exited = false;
  let exitCode: number | null = null;
  const exit = once(child, 'exit').then(([code]) => {
    exited = true;
    exitCode = code as number | null;
  });
  const spawnError = once(child, 'error').then(([err]) => err as Error);
  const pid = child.pid;
  const kill = async () => {
    if (!exited && pid !== undefined) process.kill(pid, 'SIGKILL');
    if (pid !== undefined) await exit;
  };
  let polls = 0;
  try {
    if (pid === undefined) throw await spawnError;
    for (;;) {
      polls += 1;
      if (await answersOk(options.readyUrl)) break;
      if (exited) throw new Error(`${options.name} exited before it was ready (code ${String(exitCode)})`);
      if (performance.now() - started > timeoutMs) throw new Error(`${options.name} was not ready within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } catch (err) {
    await kill();
    throw err;
  }
  const startupMs = performance.now() - started;
  let cpuStart = 0;
  let wallStart = 0;
  return {
    name: options.name,
    pid,
    startupMs,
    polls,
    residentBytes: () => residentBytes(pid),
    async cpuMark() {
      cpuStart = await cpuSeconds(pid);
      wallStart = performance.now();
    },
    async cpuRead() {
      const used = (await cpuSeconds(pid)) - cpuStart;
      const wallMs = performance.now() - wallStart;
      return { cores: (used * 1000) / wallMs, wallMs };
    },
    async close(killAfterMs = 20_000) {
      if (exited) return;
      const timer = setTimeout(() => void kill(), killAfterMs);
      process.kill(pid, 'SIGTERM');
      await exit;
      clearTimeout(timer);
    },
  };
}
