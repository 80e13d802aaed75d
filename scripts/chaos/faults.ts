import type { Deployment, JeevesRole } from './deployment';

/** The faults of a chaos run, one after another; each stopped process is started again, as Kubernetes would. */

export interface FaultWindow {
  name: string;
  start: number;
  /** When the process was back (ready), or when the next flag flip came. */
  end: number;
}

interface Step {
  /** When, as a fraction of the sending time; never before the previous step has recovered. */
  at: number;
  name: string;
  run: (d: Deployment) => Promise<void>;
  /** A flag setting lasts until the next flip; a fault ends when its process is back. */
  flag?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const killAndRestart = (role: JeevesRole, signal: NodeJS.Signals) => async (d: Deployment) => {
  await d.processes[role].stop(signal);
  await d.processes[role].start();
};

const rollout = (pct: number) => async (d: Deployment) => {
  await d.flags.setRollout('weather-remote', pct);
};

export const FAULTS: Step[] = [
  { at: 0.08, name: 'weather-remote 50%', run: rollout(50), flag: true },
  { at: 0.12, name: 'SIGKILL web-1', run: killAndRestart('web-1', 'SIGKILL') },
  { at: 0.24, name: 'SIGKILL worker-events', run: killAndRestart('worker-events', 'SIGKILL') },
  { at: 0.36, name: 'weather-remote 100%', run: rollout(100), flag: true },
  { at: 0.42, name: 'SIGKILL users service', run: killAndRestart('users', 'SIGKILL') },
  {
    at: 0.54,
    name: 'Redis restart',
    run: async (d) => {
      // SHUTDOWN on SIGTERM writes the append-only file out; down a moment, as a pod being replaced.
      await d.redis.stop('SIGTERM');
      await sleep(2000);
      await d.redis.start();
    },
  },
  { at: 0.64, name: 'SIGTERM web-2 (drain)', run: killAndRestart('web-2', 'SIGTERM') },
  { at: 0.74, name: 'weather-remote 0%', run: rollout(0), flag: true },
  { at: 0.8, name: 'SIGKILL worker-deliveries', run: killAndRestart('worker-deliveries', 'SIGKILL') },
];

/** Runs every step at its time; returns the windows each covered. */
export async function runFaults(d: Deployment, startedAt: number, sendMs: number, say: (line: string) => void): Promise<FaultWindow[]> {
  const windows: FaultWindow[] = [];
  let openFlag: FaultWindow | undefined;
  for (const step of FAULTS) {
    const due = startedAt + step.at * sendMs;
    if (Date.now() < due) await sleep(due - Date.now());
    const start = Date.now();
    say(`${((start - startedAt) / 1000).toFixed(1)} s: ${step.name}`);
    await step.run(d);
    if (step.flag) {
      if (openFlag) openFlag.end = start;
      openFlag = { name: step.name, start, end: start };
      windows.push(openFlag);
    } else {
      windows.push({ name: step.name, start, end: Date.now() });
      say(`${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${step.name}: back`);
    }
  }
  if (openFlag) openFlag.end = Number.POSITIVE_INFINITY;
  return windows;
}
