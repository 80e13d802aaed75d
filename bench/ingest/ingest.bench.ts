import { join } from 'node:path';
import { startChild, type BenchChild } from '../lib/child-process';
import type { BenchContext, BenchSection } from '../lib/context';
import { freePort } from '../lib/free-port';
import { jeevesEnv } from '../lib/jeeves-env';
import { startJeevesProcess } from '../lib/jeeves-process';
import type { MaxLoadResult } from '../lib/max-load';
import { createRedisCpuMeter, type RedisCpuMeter } from '../lib/redis-cpu';
import type { BenchRow } from '../lib/results';
import type { IngestLoadParams, MaxParams, PrepareParams, SteadyParams, SteadyResult } from './ingest-load.child';
import { CONNECTIONS, STEADY_RATE, toRows, type Round } from './ingest-rows';
import { INGEST_TARGETS, WEB_PROCESS_TARGETS, type ChildTarget, type IngestTarget, type IngestTargetParams } from './ingest-targets';

const PATH = '/slack/events';
const HOST = '127.0.0.1';
const WARMUP_REQUESTS = 2000;

/** A bench child, or a Jeeves web process observed from outside: both give their port and CPU windows. */
type Target = Pick<BenchChild<{ port: number }>, 'cpuMark' | 'cpuRead' | 'close'> & { ready: { port: number } };
type Loader = BenchChild<{ pid: number }>;

/** Sized so a full-speed run lasts about maxSeconds at the rate the warm-up reached, within bounds. */
function maxRunSize(ctx: BenchContext, warmRate: number): number {
  return Math.round(Math.min(20_000, Math.max(3000, warmRate * ctx.settings.maxSeconds)));
}

/** Signs the next run's requests in the load generator, before any CPU window opens. */
function prepare(loader: Loader, count: number, idPrefix: string): Promise<void> {
  return loader.call('prepare', { count, idPrefix } satisfies PrepareParams);
}

function maxLoad(loader: Loader, port: number): Promise<MaxLoadResult> {
  return loader.call<MaxLoadResult>('max', { url: `http://${HOST}:${port}`, path: PATH, connections: CONNECTIONS } satisfies MaxParams);
}

/** CPU microseconds per request: what the process spent on each one, whatever share of the machine it got. */
function usPer(cores: number, wallMs: number, requests: number): number {
  return (cores * wallMs * 1000) / requests;
}

async function measureRound(ctx: BenchContext, target: IngestTarget, child: Target, loader: Loader, round: number, redisCpu: RedisCpuMeter, size: number): Promise<Round> {
  const idPrefix = `${ctx.runId}${target.replace(/\W/g, '')}R${round}`;
  await prepare(loader, size, `${idPrefix}M`);
  await Promise.all([child.cpuMark(), redisCpu.mark()]);
  const max = await maxLoad(loader, child.ready.port);
  const [maxServer, redisCores] = await Promise.all([child.cpuRead(), redisCpu.read()]);
  const redisNote = target in WEB_PROCESS_TARGETS ? `, Redis ${redisCores.toFixed(2)} cores (shared Redis: an upper bound)` : '';
  const serverUs = usPer(maxServer.cores, maxServer.wallMs, max.ok);
  const loaderUs = usPer(max.loadgenCores, max.wallMs, max.ok);

  const steadyCount = STEADY_RATE * ctx.settings.steadySeconds;
  await prepare(loader, steadyCount, `${idPrefix}S`);
  await child.cpuMark();
  const steady = await loader.call<SteadyResult>('steady', { host: HOST, port: child.ready.port, path: PATH, rate: STEADY_RATE } satisfies SteadyParams);
  const steadyServer = await child.cpuRead();
  return {
    rps: max.rps,
    rpsPerCore: 1e6 / serverUs,
    p50: steady.p50,
    p99: steady.p99,
    failures: max.non2xx + max.errors + steady.non200 + steady.errors,
    maxNote:
      `server ${maxServer.cores.toFixed(2)} cores (${serverUs.toFixed(0)} µs CPU/request), ` +
      `load generator ${max.loadgenCores.toFixed(2)} cores (${loaderUs.toFixed(0)} µs/request)${redisNote}, ${max.non2xx} non-2xx, ${max.errors} errors`,
    steadyNote:
      `sent ${steady.achievedRate.toFixed(0)}/s, send lag p50/p99/max ${steady.lagP50.toFixed(2)}/${steady.lagP99.toFixed(2)}/${steady.lagMax.toFixed(1)} ms, ` +
      `ack max ${steady.max.toFixed(1)} ms, ${steady.connections} connections, server ${steadyServer.cores.toFixed(2)} cores ` +
      `(${usPer(steadyServer.cores, steadyServer.wallMs, steadyCount).toFixed(0)} µs CPU/request), load generator ${steady.loadgenCores.toFixed(2)} cores, ` +
      `${steady.non200} non-200, ${steady.errors} errors`,
  };
}

async function startTargets(ctx: BenchContext): Promise<Map<IngestTarget, Target>> {
  const env = await jeevesEnv(ctx, { slackApiUrl: 'http://127.0.0.1:9/api/', botToken: 'xoxb-bench' });
  const children = new Map<IngestTarget, Target>();
  try {
    // One at a time: start-up compiles TypeScript, which would otherwise fight for the 2 cores.
    for (const target of INGEST_TARGETS) {
      const name = `ingest-${target}`;
      if (target in WEB_PROCESS_TARGETS) {
        // The web process as deployed: its /slack/events enqueues to BullMQ on the run's Redis.
        const web = await startJeevesProcess(WEB_PROCESS_TARGETS[target as keyof typeof WEB_PROCESS_TARGETS], env, await freePort(), name);
        children.set(target, { ready: { port: web.port }, cpuMark: () => web.cpuMark(), cpuRead: () => web.cpuRead(), close: () => web.close() });
        continue;
      }
      const params: IngestTargetParams = { target: target as ChildTarget, signingSecret: ctx.signingSecret };
      children.set(target, await startChild<{ port: number }>(name, join(__dirname, 'ingest-server.child.ts'), params));
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
  const loader = await startChild<{ pid: number }>('ingest-load', join(__dirname, 'ingest-load.child.ts'), { signingSecret: ctx.signingSecret } satisfies IngestLoadParams).catch(
    async (err: unknown) => {
      await Promise.all([...children.values()].map((c) => c.close()));
      throw err;
    },
  );
  const rounds = new Map<IngestTarget, Round[]>(INGEST_TARGETS.map((t) => [t, []]));
  const redisCpu = createRedisCpuMeter((await ctx.redis()).url);
  const sizes = new Map<IngestTarget, number>();
  try {
    for (const target of INGEST_TARGETS) {
      ctx.log(`ingest: warming up ${target}`);
      const child = children.get(target)!;
      await prepare(loader, WARMUP_REQUESTS, `${ctx.runId}W${target.replace(/\W/g, '')}`);
      const warmed = await maxLoad(loader, child.ready.port);
      sizes.set(target, maxRunSize(ctx, warmed.rps));
    }
    for (let round = 0; round < ctx.settings.rounds; round++) {
      // Rotated each round, so no target is always first after an idle spell.
      const order = INGEST_TARGETS.map((_, i) => INGEST_TARGETS[(i + round) % INGEST_TARGETS.length]!);
      for (const target of order) {
        ctx.log(`ingest: round ${round + 1}/${ctx.settings.rounds}, ${target}`);
        rounds.get(target)!.push(await measureRound(ctx, target, children.get(target)!, loader, round, redisCpu, sizes.get(target)!));
      }
    }
  } finally {
    redisCpu.close();
    await Promise.all([loader, ...children.values()].map((c) => c.close()));
    await (await ctx.redis()).clear();
  }
  return toRows(rounds, ctx.settings.rounds);
}

export const ingestSection: BenchSection = { id: 'ingest', issue: 2, title: 'Signed-event ingest on POST /slack/events', run: runIngest, needsBuild: true };
