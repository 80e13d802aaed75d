import type { SlackApiStandIn } from '../stand-ins/slack.stand-in';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE } from '../../src/modules/slack';
import { createLogger } from '../../src/platform/logger';
import { createJobQueue, type JobQueue } from '../../src/platform/queue';
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
  run: (c: FaultContext) => Promise<void>;
  /** A flag setting lasts until the next flip; a fault ends when its process is back. */
  flag?: boolean;
}

interface FaultContext {
  d: Deployment;
  slack: SlackApiStandIn;
  /** Reads the queues' counts, to strike a worker while it holds a job. */
  queue: JobQueue;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const killAndRestart = (role: JeevesRole, signal: NodeJS.Signals) => async ({ d }: FaultContext) => {
  await d.processes[role].stop(signal);
  await d.processes[role].start();
};

/** Waits (a few seconds at most) until the pool's one worker runs a job of `queue`, then SIGKILLs it. */
const killMidJob = (role: JeevesRole, queueName: string, before?: (c: FaultContext) => void) => async (c: FaultContext) => {
  before?.(c);
  const until = Date.now() + 5000;
  while (Date.now() < until && (await c.queue.counts(queueName).catch(() => ({ active: 0 }))).active === 0) await sleep(2);
  await killAndRestart(role, 'SIGKILL')(c);
};

const rollout = (pct: number) => async ({ d }: FaultContext) => {
  await d.flags.setRollout('weather-remote', pct);
};

export const FAULTS: Step[] = [
  { at: 0.08, name: 'weather-remote 50%', run: rollout(50), flag: true },
  { at: 0.12, name: 'SIGKILL web-1', run: killAndRestart('web-1', 'SIGKILL') },
  { at: 0.24, name: 'SIGKILL worker-events', run: killMidJob('worker-events', SLACK_EVENTS_QUEUE) },
  { at: 0.36, name: 'weather-remote 100%', run: rollout(100), flag: true },
  { at: 0.42, name: 'SIGKILL users service', run: killAndRestart('users', 'SIGKILL') },
  {
    at: 0.54,
    name: 'Redis restart',
    run: async ({ d }) => {
      // SHUTDOWN on SIGTERM writes the append-only file out; down a moment, as a pod being replaced.
      await d.redis.stop('SIGTERM');
      await sleep(2000);
      await d.redis.start();
    },
  },
  { at: 0.64, name: 'SIGTERM web-2 (drain)', run: killAndRestart('web-2', 'SIGTERM') },
  { at: 0.74, name: 'weather-remote 0%', run: rollout(0), flag: true },
  {
    at: 0.8,
    name: 'SIGKILL worker-deliveries',
    // Slack takes the next posts but answers late: the worker dies not knowing they arrived.
    run: killMidJob('worker-deliveries', SLACK_DELIVERIES_QUEUE, ({ slack }) => slack.scriptResponses([{ answerAfterMs: 1500 }, { answerAfterMs: 1500 }, { answerAfterMs: 1500 }])),
  },
];

/** Runs every step at its time; returns the windows each covered. */
export async function runFaults(d: Deployment, slack: SlackApiStandIn, startedAt: number, sendMs: number, say: (line: string) => void): Promise<FaultWindow[]> {
  const queue = createJobQueue({ redisUrl: d.redisUrl, prefix: d.queuePrefix, logger: createLogger({ level: 'silent' }) });
  try {
    return await runSteps({ d, slack, queue }, startedAt, sendMs, say);
  } finally {
    await queue.close(1000);
  }
}

async function runSteps(context: FaultContext, startedAt: number, sendMs: number, say: (line: string) => void): Promise<FaultWindow[]> {
  const windows: FaultWindow[] = [];
  let openFlag: FaultWindow | undefined;
  for (const step of FAULTS) {
    const due = startedAt + step.at * sendMs;
    if (Date.now() < due) await sleep(due - Date.now());
    const start = Date.now();
    say(`${((start - startedAt) / 1000).toFixed(1)} s: ${step.name}`);
    await step.run(context);
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
