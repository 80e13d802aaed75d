import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../src/config';
import { ROOT } from './build';
import { PROFILE_DIR, wantsProfile } from './child-process';
import { spawnProcess, type SpawnedProcess } from './process-probe';

/** The process kinds a deployment runs, each started as deploy/ starts it (the tsx ones as `npm start` does). */
export const PROCESS_KINDS = ['web', 'monolith', 'worker', 'users', 'weather', 'web-tsx', 'monolith-tsx'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

export const KIND_LABELS: Record<ProcessKind, string> = {
  web: 'web (node dist, WORKER_QUEUES=none)',
  monolith: 'monolith (node dist, web + every queue)',
  worker: 'worker (node dist, every queue)',
  users: 'users service (node dist)',
  weather: 'weather service (node dist)',
  'web-tsx': 'web (tsx, WORKER_QUEUES=none)',
  'monolith-tsx': 'monolith (tsx, web + every queue)',
};

function commandOf(kind: ProcessKind): string[] {
  switch (kind) {
    case 'web':
    case 'monolith':
      return ['dist/src/processes/main.js'];
    case 'worker':
      return ['dist/src/processes/worker.js'];
    case 'users':
    case 'weather':
      return ['dist/src/processes/service.js', kind];
    case 'web-tsx':
    case 'monolith-tsx':
      // What `npm start` (tsx src/processes/main.ts) runs, without tsx's CLI process in between.
      return ['--import', 'tsx', 'src/processes/main.ts'];
  }
}

export interface JeevesProcess extends SpawnedProcess {
  kind: ProcessKind;
  port: number;
}

/**
 * Spawns one Jeeves process on `port` (a service listens on the port of its <NAME>_SERVICE_URL,
 * which the caller sets in env). Only the given environment reaches it, plus PATH and HOME.
 */
export async function startJeevesProcess(kind: ProcessKind, env: Env, port: number, name: string = kind): Promise<JeevesProcess> {
  const servicePort = kind === 'users' || kind === 'weather' ? Number(new URL(env[`${kind.toUpperCase()}_SERVICE_URL`] ?? '').port) : undefined;
  const listenPort = servicePort ?? port;
  const profile: string[] = [];
  if (wantsProfile(name)) {
    const dir = join(PROFILE_DIR, `${name}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    profile.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const spawned = await spawnProcess({
    name,
    command: process.execPath,
    args: [...profile, ...commandOf(kind)],
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...env,
      PORT: String(listenPort),
      ...(kind === 'web' || kind === 'web-tsx' ? { WORKER_QUEUES: 'none' } : {}),
    },
    readyUrl: `http://127.0.0.1:${listenPort}/readyz`,
  });
  return Object.assign(spawned, { kind, port: listenPort });
}
