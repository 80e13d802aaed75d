import { join } from 'node:path';
import { startChild, type BenchChild } from '../lib/child-process';
import type { BenchContext, BenchSection } from '../lib/context';
import { runMaxLoad } from '../lib/max-load';
import { runPacedLoad } from '../lib/paced-load';
import { createRedisCpuMeter, type RedisCpuMeter } from '../lib/redis-cpu';
import type { BenchRow } from '../lib/results';
import { signedEvents } from '../lib/signed-events';
import { summarize } from '../lib/stats';
import { CONNECTIONS, STEADY_RATE, toRows, type Round } from './ingest-rows';
import { INGEST_TARGETS, type IngestTarget, type IngestTargetParams } from './ingest-targets';

const PATH = '/slack/events';
const WARMUP_REQUESTS = 2000;

/** Sized so a full-speed run lasts about maxSeconds at the rate the warm-up reached, within bounds. */
function maxRunSize(ctx: BenchContext, warmRate: number): number {
  return Math.round(Math.min(20_000, Math.max(3000, warmRate * ctx.settings.maxSeconds)));
}

async function measureRound(ctx: BenchContext, target: IngestTarget, child: BenchChild<{ port: number }>, round: number, redisCpu: RedisCpuMeter, size: number): Promise<Round> {
  const url = `http://127.0.0.1:${child.ready.port}`;
  const idPrefix = `${ctx.runId}${target.replace(/\W/g, '')}R${round}`;
  const maxRequests = signedEvents({ signingSecret: ctx.signingSecret, count: size, idPrefix: `${idPrefix}M` });
  await Promise.all([child.cpuMark(), redisCpu.mark()]);
  const max = await runMaxLoad({ url, path: PATH, requests: maxRequests, connections: CONNECTIONS });
  const [maxServer, redisCores] = await Promise.all([child.cpuRead(), redisCpu.read()]);
  const redisNote = target === 'jeeves-bullmq' ? `, Redis ${redisCores.toFixed(2)} cores (shared Redis: an upper bound)` : '';

  const steadyRequests = signedEvents({ signingSecret: ctx.signingSecret, count: STEADY_RATE * ctx.settings.steadySeconds, idPrefix: `${idPrefix}S` });
  await child.cpuMark();
  const steady = await runPacedLoad({ host: '127.0.0.1', port: child.ready.port, path: PATH, rate: STEADY_RATE, requests: steadyRequests });
  const steadyServer = await child.cpuRead();
  const latency = summarize(steady.latencies);
  const lag = summarize(steady.sendLag);
  const non200 = [...steady.statuses].filter(([status]) => status !== 200).reduce((n, [, count]) => n + count, 0);
  return {
    rps: max.rps,
    rpsPerCore: max.ok / ((maxServer.cores * max.wallMs) / 1000),
    p50: latency.p50,
    p99: latency.p99,
    failures: max.non2xx + max.errors + non200 + steady.errors,
    maxNote: `server ${maxServer.cores.toFixed(2)} cores, load generator ${max.loadgenCores.toFixed(2)} cores${redisNote}, ${max.non2xx} non-2xx, ${max.errors} errors`,
    steadyNote:
      `sent ${steady.achievedRate.toFixed(0)}/s, send lag p99 ${lag.p99.toFixed(2)} ms, server ${steadyServer.cores.toFixed(2)} cores, ` +
      `load generator ${steady.loadgenCores.toFixed(2)} cores, ${non200} non-200, ${steady.errors} errors`,
  };
}

async function startTargets(ctx: BenchContext): Promise<Map<IngestTarget, BenchChild<{ port: number }>>> {
  const redis = await ctx.redis();
  const children = new Map<IngestTarget, BenchChild<{ port: number }>>();
  try {
    // One at a time: start-up compiles TypeScript, which would otherwise fight for the 2 cores.
    for (const target of INGEST_TARGETS) {
      const params: IngestTargetParams = { target, signingSecret: ctx.signingSecret, redisUrl: redis.url, prefix: `jeeves-bench:${ctx.runId}:ingest` };
      children.set(target, await startChild<{ port: number }>(`ingest-${target}`, join(__dirname, 'ingest-server.child.ts'), params));
    }
  } catch (err) {
    await Promise.all([...children.values()].map((c) => c.close()));
    throw err;
  }
  return children;
}

/**
 * Issue 2: signed-event ingest, Jeeves against two baselines served the same requests in the
 * same run. Every target runs in its own process, idle while the others are measured, and
 * the rounds interleave the targets so a burst of outside load hits them alike.
 */
async function runIngest(ctx: BenchContext): Promise<BenchRow[]> {
  const children = await startTargets(ctx);
  const rounds = new Map<IngestTarget, Round[]>(INGEST_TARGETS.map((t) => [t, []]));
  const redisCpu = createRedisCpuMeter((await ctx.redis()).url);
  const sizes = new Map<IngestTarget, number>();
  try {
    for (const target of INGEST_TARGETS) {
      ctx.log(`ingest: warming up ${target}`);
      const child = children.get(target)!;
      const warm = signedEvents({ signingSecret: ctx.signingSecret, count: WARMUP_REQUESTS, idPrefix: `${ctx.runId}W${target.replace(/\W/g, '')}` });
      const warmed = await runMaxLoad({ url: `http://127.0.0.1:${child.ready.port}`, path: PATH, requests: warm, connections: CONNECTIONS });
      sizes.set(target, maxRunSize(ctx, warmed.rps));
    }
    for (let round = 0; round < ctx.settings.rounds; round++) {
      // Rotated each round, so no target is always first after an idle spell.
      const order = INGEST_TARGETS.map((_, i) => INGEST_TARGETS[(i + round) % INGEST_TARGETS.length]!);
      for (const target of order) {
        ctx.log(`ingest: round ${round + 1}/${ctx.settings.rounds}, ${target}`);
        rounds.get(target)!.push(await measureRound(ctx, target, children.get(target)!, round, redisCpu, sizes.get(target)!));
      }
    }
  } finally {
    redisCpu.close();
    await Promise.all([...children.values()].map((c) => c.close()));
    await (await ctx.redis()).clear();
  }
  return toRows(rounds, ctx.settings.rounds);
}

export const ingestSection: BenchSection = { id: 'ingest', issue: 2, title: 'Signed-event ingest on POST /slack/events', run: runIngest };
