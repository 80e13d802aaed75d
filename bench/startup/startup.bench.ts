import { writeFile } from 'node:fs/promises';
import type { Env } from '../../src/config';
import type { BenchContext, BenchSection } from '../lib/context';
import { freePort } from '../lib/free-port';
import { jeevesEnv } from '../lib/jeeves-env';
import { KIND_LABELS, startJeevesProcess, type JeevesProcess, type ProcessKind } from '../lib/jeeves-process';
import { runPacedLoad } from '../lib/paced-load';
import { row, type BenchRow } from '../lib/results';
import { signedEvents } from '../lib/signed-events';
import { median } from '../lib/stats';
import { startSlackSink, type SlackSink } from '../reply/slack-sink';

const SECTION = '13 startup';
const WARMUP_EVENTS = 500;
const WARMUP_GETS = 200;
const DRAIN_TIMEOUT_MS = 60_000;

/**
 * Each round's order. A web process leaves its events queued (it consumes none) under the round's
 * queue prefix, and the worker after it, on the same prefix, handles them as its warm-up.
 */
const ORDER: ProcessKind[] = ['web', 'worker', 'monolith', 'users', 'weather', 'web-tsx', 'monolith-tsx'];

/** For each kind with a compiled and a tsx form, the tsx one is its baseline. */
const TSX_OF: Partial<Record<ProcessKind, ProcessKind>> = { web: 'web-tsx', monolith: 'monolith-tsx' };

interface Sample {
  startupMs: number;
  polls: number;
  rssBytes: number;
  warmup: string;
}

interface Run {
  env: Env;
  sink: SlackSink;
  signingSecret: string;
  idPrefix: string;
}

async function getMany(port: number, paths: string[], count: number): Promise<number> {
  let failed = 0;
  for (let i = 0; i < count; i += 4) {
    await Promise.all(
      Array.from({ length: Math.min(4, count - i) }, async (_, j) => {
        const res = await fetch(`http://127.0.0.1:${port}${paths[(i + j) % paths.length]!}`).catch(() => undefined);
        await res?.arrayBuffer();
        if (res?.status !== 200) failed += 1;
      }),
    );
  }
  return failed;
}

async function postEvents(run: Run, port: number, tag: string): Promise<string> {
  const requests = signedEvents({ signingSecret: run.signingSecret, count: WARMUP_EVENTS, idPrefix: `${run.idPrefix}${tag}`, threaded: true, members: WARMUP_EVENTS });
  const load = await runPacedLoad({ host: '127.0.0.1', port, path: '/slack/events', rate: 250, requests });
  const non200 = [...load.statuses].filter(([s]) => s !== 200).reduce((n, [, c]) => n + c, 0) + load.errors;
  return `${WARMUP_EVENTS} signed events${non200 ? ` (${non200} not answered 200)` : ''}`;
}

async function repliesArrived(run: Run, before: number): Promise<string> {
  const arrived = await run.sink.waitForPosts(before + WARMUP_EVENTS, DRAIN_TIMEOUT_MS);
  return arrived ? `${WARMUP_EVENTS} replies delivered` : `only ${run.sink.posts - before} of ${WARMUP_EVENTS} replies within ${DRAIN_TIMEOUT_MS / 1000} s`;
}

/** Puts the process through what its kind does in production, then some probe and scrape requests. */
async function warmUp(run: Run, proc: JeevesProcess, tag: string): Promise<string> {
  const gets = (paths: string[]) => getMany(proc.port, paths, WARMUP_GETS).then((failed) => `${WARMUP_GETS} GETs of ${paths.join(', ')}${failed ? ` (${failed} not 200)` : ''}`);
  const before = run.sink.posts;
  switch (proc.kind) {
    case 'web':
    case 'web-tsx':
      return `${await postEvents(run, proc.port, tag)}; ${await gets(['/readyz', '/metrics'])}`;
    case 'monolith':
    case 'monolith-tsx': {
      const posted = await postEvents(run, proc.port, tag);
      return `${posted}, ${await repliesArrived(run, before)}; ${await gets(['/readyz', '/metrics'])}`;
    }
    case 'worker':
      return `the web process's ${await repliesArrived(run, before)}; ${await gets(['/readyz', '/metrics'])}`;
    case 'users':
    case 'weather':
      return gets(['/readyz', '/metrics', '/openapi.json']);
  }
}

async function sample(run: Run, kind: ProcessKind, env: Env, tag: string): Promise<Sample> {
  const proc = await startJeevesProcess(kind, env, await freePort(), `startup-${kind}`);
  try {
    const warmup = await warmUp(run, proc, tag);
    return { startupMs: proc.startupMs, polls: proc.polls, rssBytes: await proc.residentBytes(), warmup };
  } finally {
    await proc.close();
  }
}

/**
 * Issue 13: how long each process kind takes from spawn to its first /readyz 200, and its
 * resident memory (VmRSS) once it has done some work, the compiled build next to tsx.
 */
async function runStartup(ctx: BenchContext): Promise<BenchRow[]> {
  const [redis, sink, usersPort, weatherPort] = await Promise.all([ctx.redis(), startSlackSink(), freePort(), freePort()]);
  const base: Env = {
    ...(await jeevesEnv(ctx, { slackApiUrl: sink.url, botToken: sink.token, slackRateLimit: false, flagsFile: 'flags-startup.json' })),
    USERS_SERVICE_URL: `http://127.0.0.1:${usersPort}`,
    WEATHER_SERVICE_URL: `http://127.0.0.1:${weatherPort}`,
  };
  await writeFile(base.FLAGS_FILE!, JSON.stringify({ flags: {} }));
  const samples = new Map<ProcessKind, Sample[]>(ORDER.map((k) => [k, []]));
  // Serves the monolith's JWKS, without which an extracted service is not ready.
  const keys = await startJeevesProcess('web', { ...base, QUEUE_PREFIX: `jeeves-bench:${ctx.runId}:keys` }, await freePort(), 'startup-keys');
  const run: Run = { env: base, sink, signingSecret: ctx.signingSecret, idPrefix: `${ctx.runId}U` };
  try {
    for (let round = 0; round < ctx.settings.rounds; round++) {
      for (const kind of ORDER) {
        ctx.log(`startup: round ${round + 1}/${ctx.settings.rounds}, ${kind}`);
        // web and worker share a prefix (the worker drains what web queued); every other kind has its own.
        const prefix = `jeeves-bench:${ctx.runId}:r${round}:${kind === 'worker' ? 'web' : kind}`;
        const env: Env = { ...base, QUEUE_PREFIX: prefix, TOKENS_JWKS_URL: `http://127.0.0.1:${keys.port}/.well-known/jwks.json` };
        samples.get(kind)!.push(await sample(run, kind, env, `R${round}${kind.replace(/\W/g, '')}`));
      }
    }
  } finally {
    await keys.close();
    await sink.close();
    await redis.clear();
  }
  return toRows(samples, ctx.settings.rounds);
}

const MB = 1024 * 1024;

export function toRows(samples: Map<ProcessKind, Sample[]>, rounds: number): BenchRow[] {
  const rows: BenchRow[] = [];
  const of = (kind: ProcessKind) => samples.get(kind) ?? [];
  const startup = (kind: ProcessKind) => median(of(kind).map((s) => s.startupMs));
  const rss = (kind: ProcessKind) => median(of(kind).map((s) => s.rssBytes / MB));
  const suffix = rounds > 1 ? ` (median of ${rounds})` : '';
  for (const kind of ORDER) {
    if (of(kind).length === 0) continue;
    const tsx = TSX_OF[kind];
    rows.push(
      row({
        section: SECTION,
        name: `start-up to /readyz 200, ${KIND_LABELS[kind]}${suffix}`,
        value: startup(kind),
        unit: 'ms',
        ...(tsx ? { baseline: { name: KIND_LABELS[tsx], value: startup(tsx) } } : {}),
        note: `rounds ${of(kind).map((s) => s.startupMs.toFixed(0)).join(' / ')} ms; /readyz polled every 10 ms, ${of(kind).at(-1)!.polls} polls in the last`,
      }),
      row({
        section: SECTION,
        name: `resident memory after warm-up, ${KIND_LABELS[kind]}${suffix}`,
        value: rss(kind),
        unit: 'MB',
        ...(tsx ? { baseline: { name: KIND_LABELS[tsx], value: rss(tsx) } } : {}),
        note: `VmRSS after ${of(kind).at(-1)!.warmup}`,
      }),
    );
  }
  return rows;
}

/** The section's figures as one line per process kind. */
export function startupTable(rows: BenchRow[]): string {
  const mine = rows.filter((r) => r.section === SECTION);
  const kinds = ORDER.filter((k) => mine.some((r) => r.name.includes(KIND_LABELS[k])));
  if (kinds.length === 0) return '';
  const value = (prefix: string, kind: ProcessKind) => {
    const found = mine.find((r) => r.name.startsWith(prefix) && r.name.includes(KIND_LABELS[kind]));
    return found && Number.isFinite(found.value) ? found.value.toFixed(0) : '—';
  };
  const lines = [['process kind', 'start-up (ms)', 'RSS after warm-up (MB)'], ...kinds.map((k) => [KIND_LABELS[k], value('start-up', k), value('resident memory', k)])];
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [render(lines[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(render)].join('\n');
}

export const startupSection: BenchSection = {
  id: 'startup',
  issue: 13,
  title: 'Start-up time and resident memory of each process kind',
  run: runStartup,
  summary: startupTable,
  needsBuild: true,
};
