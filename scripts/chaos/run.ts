import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { startOpenMeteoStandIn } from '../stand-ins/open-meteo.stand-in';
import { startSlackApiStandIn, type RecordedPost } from '../stand-ins/slack.stand-in';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE } from '../../src/modules/slack';
import { createLogger } from '../../src/platform/logger';
import { createJobQueue } from '../../src/platform/queue';
import { SIGNING_SECRET, startDeployment, type Deployment } from './deployment';
import { runFaults, type FaultWindow } from './faults';
import { planMessages, type PlannedMessage } from './plan';
import { createSlackSender, type Delivery } from './slack-sender';
import { killEverySupervised, spawnedPids } from './supervised';

/**
 * The chaos run (issue 13): a deployment of separate processes answers chat messages and
 * reminders while its processes are killed, drained and restarted, Redis restarts and
 * weather-remote moves 0 → 50 → 100 → 0. It checks that every message was answered exactly
 * once and correctly, every reminder delivered once, nothing dead-lettered, and measures.
 */

export interface ChaosOptions {
  messages: number;
  reminders: number;
  /** Over how long the messages are sent. */
  sendSeconds: number;
  adminDatabaseUrl: string;
  /** Where each process's log goes (kept after the run). */
  logDir: string;
  say?: (line: string) => void;
}

export interface LatencyFigures {
  name: string;
  messages: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface ChaosReport {
  /** Empty when everything held. */
  problems: string[];
  messages: number;
  reminders: number;
  messagesPerSecond: number;
  latency: LatencyFigures[];
  reminderLateness: { p50Ms: number | null; p99Ms: number | null };
  slackRetries: Record<string, number>;
  restarts: Record<string, number>;
  durationSeconds: number;
  /** Every process the run started, and the databases it created: none may outlive it. */
  pids: number[];
  databases: string[];
  /** The report as a person reads it. */
  text: string;
}

export interface Reply {
  text: string;
  at: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REMINDER_DELAY_MS = 60_000;
/** A job a killed worker held comes back within about two QUEUE_LOCK_MS (10 s by default); the rest is margin for a loaded machine. */
const STALLED_RECOVERY_MS = 60_000;
const QUEUES = [SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE, 'reminders'];

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Requests a service answered on its API, from its /metrics. */
async function apiCalls(url: string, path: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('jeeves_http_requests_total{') && line.includes(path))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf('}') + 1).trim()), 0);
}

export function judge(planned: PlannedMessage[], replies: Map<string, Reply[]>, deliveries: Map<string, Delivery>): string[] {
  const problems: string[] = [];
  for (const m of planned) {
    const { channel, text } = m.event;
    const got = replies.get(channel) ?? [];
    const delivery = deliveries.get(channel);
    if (delivery && !delivery.acknowledged) problems.push(`"${text}" (${channel}): Slack gave up after ${delivery.attempts.length} tries: ${delivery.attempts.map((a) => a.outcome).join(', ')}`);
    const answers = m.reminder ? got.filter((r) => !m.reminder!(r.text)) : got;
    if (answers.length !== 1) problems.push(`"${text}" (${channel}): answered ${answers.length} times${answers.length ? `: ${answers.map((r) => JSON.stringify(r.text.slice(0, 80))).join(' | ')}` : ''}`);
    else if (!m.reply(answers[0]!.text)) problems.push(`"${text}" (${channel}): wrong answer ${JSON.stringify(answers[0]!.text.slice(0, 200))}`);
    if (m.reminder) {
      const reminders = got.filter((r) => m.reminder!(r.text));
      if (reminders.length !== 1) problems.push(`"${text}" (${channel}): reminder delivered ${reminders.length} times`);
    }
  }
  return problems;
}

function formatMs(ms: number | null): string {
  return ms === null ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const runId = randomBytes(3).toString('hex').toUpperCase();
  const sendMs = options.sendSeconds * 1000;
  const replies = new Map<string, Reply[]>();
  const slack = await startSlackApiStandIn({
    onPost: (post: RecordedPost) => {
      const list = replies.get(post.channel) ?? [];
      list.push({ text: post.text, at: Date.now() });
      replies.set(post.channel, list);
    },
  });
  const openMeteo = await startOpenMeteoStandIn();
  let deployment: Deployment | undefined;
  const began = Date.now();
  // Ctrl-C still leaves no process, database or directory behind.
  const interrupted = () => {
    say('interrupted: stopping every process and dropping the databases');
    killEverySupervised();
    void (deployment?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    deployment = await startDeployment({
      adminDatabaseUrl: options.adminDatabaseUrl,
      slackApiUrl: slack.url,
      slackBotToken: slack.token,
      forecastUrl: openMeteo.forecastUrl,
      geocodingUrl: openMeteo.geocodingUrl,
      logDir: options.logDir,
      say,
    });
    const d = deployment;
    say(`deployment up in ${((Date.now() - began) / 1000).toFixed(1)} s; logs in ${options.logDir}`);
    const weatherServedBefore = await apiCalls(d.serviceUrls.weather, '/api/weather');

    const planned = planMessages({ messages: options.messages, reminders: options.reminders, sendMs, runId });
    const sender = createSlackSender({ signingSecret: SIGNING_SECRET, targets: [d.webUrls['web-1'], d.webUrls['web-2']] });
    const deliveries = new Map<string, Delivery>();
    const startedAt = Date.now();
    say(`sending ${options.messages} chat messages and ${options.reminders} reminder requests over ${options.sendSeconds} s`);

    const faults = runFaults(d, slack, startedAt, sendMs, say);
    const sends: Array<Promise<void>> = [];
    for (const m of planned) {
      const due = startedAt + m.sendAtMs;
      if (Date.now() < due) await sleep(due - Date.now());
      sends.push(sender.send(m.event).then((delivery) => void deliveries.set(m.event.channel, delivery)));
    }
    let windows: FaultWindow[];
    try {
      [windows] = await Promise.all([faults, Promise.all(sends)]);
    } finally {
      sender.close();
    }
    const sentAt = Date.now();
    say(`${((sentAt - startedAt) / 1000).toFixed(1)} s: everything sent; waiting for the answers and the reminders`);

    // Until every message has its answer and every reminder its post, or long past when they should have.
    const expected = (m: PlannedMessage) => (m.reminder ? 2 : 1);
    const complete = () => planned.every((m) => (replies.get(m.event.channel)?.length ?? 0) >= expected(m));
    const lastReminderDue = startedAt + sendMs * 0.4 + REMINDER_DELAY_MS;
    const deadline = Math.max(sentAt, options.reminders > 0 ? lastReminderDue : 0) + STALLED_RECOVERY_MS;
    while (!complete() && Date.now() < deadline) await sleep(200);

    // Nothing left to run, then a moment more: a duplicate would have shown by now.
    const queue = createJobQueue({ redisUrl: d.redisUrl, prefix: d.queuePrefix, logger: createLogger({ level: 'silent' }) });
    const counts = async () => Promise.all(QUEUES.map(async (name) => ({ name, ...(await queue.counts(name)) })));
    const idleBy = Date.now() + 30_000;
    while (Date.now() < idleBy && (await counts()).some((c) => c.waiting + c.active + c.delayed > 0)) await sleep(250);
    await sleep(2000);
    const finalCounts = await counts();
    await queue.close(1000);

    const problems = judge(planned, replies, deliveries);
    for (const c of finalCounts) {
      if (c.failed > 0) problems.push(`queue ${c.name}: ${c.failed} failed jobs`);
      if (c.waiting + c.active + c.delayed > 0) problems.push(`queue ${c.name}: still ${c.waiting} waiting, ${c.active} active, ${c.delayed} delayed`);
    }
    const deadLetters = await query<{ channel: string; code: string; text: string }>(d.databaseUrl, 'SELECT channel, code, text FROM slack_dead_letters');
    for (const dl of deadLetters) problems.push(`dead letter in ${dl.channel} (${dl.code}): ${dl.text.slice(0, 80)}`);
    const reminderRows = await query<{ text: string; status: string; due_at: Date }>(d.databaseUrl, 'SELECT text, status, due_at FROM reminders_reminders');
    if (reminderRows.length !== options.reminders) problems.push(`${reminderRows.length} reminders stored, ${options.reminders} asked for`);
    for (const r of reminderRows.filter((row) => row.status !== 'delivered')) problems.push(`reminder "${r.text}" is ${r.status}`);
    const weatherServed = (await apiCalls(d.serviceUrls.weather, '/api/weather')) - weatherServedBefore;
    if (weatherServed === 0) problems.push('the weather service answered no call: weather-remote never routed to it');
    const usersServed = await apiCalls(d.serviceUrls.users, '/api/users');
    if (usersServed === 0) problems.push('the users service answered no call after its restart');

    // Figures: event → reply, from Slack's first try to the post reaching Slack.
    const chats = planned.filter((m) => !m.reminder);
    const latencyOf = (m: PlannedMessage): number | undefined => {
      const delivery = deliveries.get(m.event.channel);
      const first = replies.get(m.event.channel)?.[0];
      return delivery && first ? first.at - delivery.firstSentAt : undefined;
    };
    const figures = (name: string, within: (sentAt: number) => boolean): LatencyFigures => {
      const values = planned.filter((m) => within(deliveries.get(m.event.channel)?.firstSentAt ?? -1)).map(latencyOf).filter((v): v is number => v !== undefined);
      return { name, messages: values.length, p50Ms: percentile(values, 50), p99Ms: percentile(values, 99) };
    };
    const latency = [figures('overall', () => true), ...windows!.map((w) => figures(w.name, (t) => t >= w.start && t <= w.end))];
    const lastChatReply = Math.max(...chats.map((m) => replies.get(m.event.channel)?.[0]?.at ?? 0));
    const messagesPerSecond = chats.length / Math.max(0.001, (lastChatReply - startedAt) / 1000);
    const byWhat = new Map(reminderRows.map((r) => [r.text, new Date(r.due_at).getTime()]));
    const lateness = planned
      .filter((m) => m.reminder)
      .map((m) => {
        const post = replies.get(m.event.channel)?.find((r) => m.reminder!(r.text));
        const what = /remind me to (\S+) in/.exec(m.event.text)?.[1] ?? '';
        const due = byWhat.get(what);
        return post && due !== undefined ? post.at - due : undefined;
      })
      .filter((v): v is number => v !== undefined);
    const reminderLateness = { p50Ms: percentile(lateness, 50), p99Ms: percentile(lateness, 99) };
    const restarts = Object.fromEntries([d.redis, ...Object.values(d.processes)].map((p) => [p.name, p.starts() - 1]));
    const durationSeconds = (Date.now() - began) / 1000;

    const lines = [
      `chaos run: ${chats.length} chat messages and ${options.reminders} reminders over ${options.sendSeconds} s, ${durationSeconds.toFixed(0)} s in all`,
      `throughput: ${messagesPerSecond.toFixed(1)} messages/s answered (${chats.length} between the first send and the last reply, ${((lastChatReply - startedAt) / 1000).toFixed(0)} s; offered ${(chats.length / options.sendSeconds).toFixed(1)}/s)`,
      `Slack Web API: ${slack.calls()} chat.postMessage calls, ${slack.messages.length} posted, ${slack.historyCalls()} history look-ups by tries that followed an unknown outcome`,
      `Slack retries: ${JSON.stringify(sender.retries())}; restarts: ${JSON.stringify(restarts)}`,
      `weather service calls: ${weatherServed}; users service calls after its restart: ${usersServed}`,
      `reminders: delivered p50 ${formatMs(reminderLateness.p50Ms)}, p99 ${formatMs(reminderLateness.p99Ms)} after due`,
      'event → reply        messages      p50      p99',
      ...latency.map((l) => `${l.name.padEnd(28)}${String(l.messages).padStart(6)} ${formatMs(l.p50Ms).padStart(8)} ${formatMs(l.p99Ms).padStart(8)}`),
      problems.length === 0 ? 'PASS: every message answered once and correctly, every reminder delivered once, no dead letters' : `FAIL: ${problems.length} problems:\n  ${problems.slice(0, 40).join('\n  ')}`,
    ];
    return {
      problems,
      messages: chats.length,
      reminders: options.reminders,
      messagesPerSecond,
      latency,
      reminderLateness,
      slackRetries: sender.retries(),
      restarts,
      durationSeconds,
      pids: spawnedPids(),
      databases: d.databases,
      text: lines.join('\n'),
    };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await deployment?.close();
    killEverySupervised();
    await slack.close();
    await openMeteo.close();
  }
}

export function defaultLogDir(): string {
  return join(__dirname, '..', '..', 'test-output', 'chaos');
}
