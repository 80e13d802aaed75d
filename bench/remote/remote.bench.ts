import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, type Env } from '../../src/config';
import { openInfrastructure } from '../../src/infrastructure';
import { createUsersService, type UserRef } from '../../src/modules/users';
import { wireJeeves } from '../../src/monolith';
import type { Registry } from 'prom-client';
import { createLogger } from '../../src/platform/logger';
import { listen } from '../../src/platform/server';
import { startOpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { timeSequential, timeThroughput } from '../lib/call-timing';
import { startChild, type BenchChild } from '../lib/child-process';
import type { BenchContext, BenchSection } from '../lib/context';
import { freePort } from '../lib/free-port';
import { jeevesEnv } from '../lib/jeeves-env';
import { row, type BenchRow } from '../lib/results';
import { median } from '../lib/stats';
import type { ExtractedServiceParams } from './extracted-service.child';

const SECTION = '3 remote';
const CONCURRENCY = 16;
const WARMUP_CALLS = 300;
const MEMBER: UserRef = { teamId: 'T061EG9R6', userId: 'U0BENCH001' };
const FLAG_WAIT_MS = 10_000;

interface Figures {
  p50: number[];
  p99: number[];
  rate: number[];
  /** CPU per call in µs: this process (the caller), and the extracted service when remote. */
  callerCpu: number[];
  serviceCpu: number[];
}

const empty = (): Figures => ({ p50: [], p99: [], rate: [], callerCpu: [], serviceCpu: [] });

async function measure(call: () => Promise<unknown>, calls: number, into: Figures, service?: BenchChild<unknown>): Promise<void> {
  await service?.cpuMark();
  const cpu = process.cpuUsage();
  const lone = await timeSequential(call, calls);
  const used = process.cpuUsage(cpu);
  into.callerCpu.push((used.user + used.system) / calls);
  if (service) {
    const window = await service.cpuRead();
    into.serviceCpu.push((window.cores * window.wallMs * 1000) / calls);
  }
  into.p50.push(lone.p50);
  into.p99.push(lone.p99);
  into.rate.push(await timeThroughput(call, calls, CONCURRENCY));
}

/** Writes the flags file and waits until the running resolver sees it (it watches the file). */
async function setRemote(file: string, on: boolean, seen: () => boolean): Promise<void> {
  await writeFile(file, JSON.stringify({ flags: { 'users-remote': { enabled: on }, 'weather-remote': { enabled: on } } }));
  const deadline = performance.now() + FLAG_WAIT_MS;
  while (seen() !== on) {
    if (performance.now() > deadline) throw new Error(`the flags file change (remote ${on ? 'on' : 'off'}) was not picked up within ${FLAG_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Calls the switch counted for one module method on one route with outcome ok: proof of where calls went. */
async function okCalls(registry: Registry, module: string, method: string, route: 'local' | 'remote'): Promise<number> {
  const metric = registry.getSingleMetric('jeeves_module_calls_total');
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => v.labels.module === module && v.labels.method === method && v.labels.route === route && v.labels.outcome === 'ok').reduce((n, v) => n + v.value, 0);
}

function rowsFor(label: string, direct: Figures, local: Figures, remote: Figures): BenchRow[] {
  const m = (f: Figures, k: keyof Figures) => median(f[k]);
  const viaSwitch = (k: keyof Figures) => ({ name: 'in-process', value: m(local, k) });
  const cpuNote = `CPU per call: caller ${m(local, 'callerCpu').toFixed(0)} µs in-process, ${m(remote, 'callerCpu').toFixed(0)} µs remote + service ${m(remote, 'serviceCpu').toFixed(0)} µs`;
  return [
    row({ section: SECTION, name: `${label} p50, in-process (switch, flag off)`, value: m(local, 'p50'), unit: 'ms' }),
    row({ section: SECTION, name: `${label} p50, remote (switch, flag on)`, value: m(remote, 'p50'), unit: 'ms', baseline: viaSwitch('p50') }),
    row({ section: SECTION, name: `${label} p99, in-process (switch, flag off)`, value: m(local, 'p99'), unit: 'ms' }),
    row({ section: SECTION, name: `${label} p99, remote (switch, flag on)`, value: m(remote, 'p99'), unit: 'ms', baseline: viaSwitch('p99') }),
    row({ section: SECTION, name: `${label}: remote adds at p50`, value: m(remote, 'p50') - m(local, 'p50'), unit: 'ms', target: { kind: 'at-most', max: 1 }, note: cpuNote }),
    row({ section: SECTION, name: `${label}: remote adds at p99`, value: m(remote, 'p99') - m(local, 'p99'), unit: 'ms', target: { kind: 'at-most', max: 3 } }),
    row({ section: SECTION, name: `${label} throughput, in-process (${CONCURRENCY} concurrent)`, value: m(local, 'rate'), unit: 'calls/s' }),
    row({ section: SECTION, name: `${label} throughput, remote (${CONCURRENCY} concurrent)`, value: m(remote, 'rate'), unit: 'calls/s', baseline: viaSwitch('rate') }),
    row({
      section: SECTION,
      name: `${label}: the switch itself, flag off (p50 over a direct call)`,
      value: m(local, 'p50') - m(direct, 'p50'),
      unit: 'ms',
    }),
  ];
}

/**
 * Issue 3: users and weather calls through the monolith's own switch (src/routing.ts), first
 * with their `-remote` flags off, then on, so the remote figure carries everything a deployed
 * call does: flag evaluation, breaker, service JWT, request id and traceparent, the HTTP client,
 * the extracted service (started as `npm run service` starts it, in its own process) verifying
 * the token. users.get reads PostgreSQL on both sides; weather answers from its Redis cache on
 * both sides, so its difference is the hop alone.
 */
async function runRemote(ctx: BenchContext): Promise<BenchRow[]> {
  const [redis, openMeteo, usersPort, weatherPort] = await Promise.all([ctx.redis(), startOpenMeteoStandIn(), freePort(), freePort()]);
  const env: Env = {
    // A flags file of this section's own: the other sections' processes keep every flag off.
    ...(await jeevesEnv(ctx, { slackApiUrl: 'http://127.0.0.1:9/api/', botToken: 'xoxb-bench', flagsFile: 'flags-remote.json' })),
    WEATHER_API_URL: openMeteo.forecastUrl,
    GEOCODING_API_URL: openMeteo.geocodingUrl,
    USERS_SERVICE_URL: `http://127.0.0.1:${usersPort}`,
    WEATHER_SERVICE_URL: `http://127.0.0.1:${weatherPort}`,
    FLAGS_REFRESH_MS: '200',
  };
  const flagsFile = env.FLAGS_FILE!;
  await writeFile(flagsFile, JSON.stringify({ flags: {} }));
  const logger = createLogger({ level: 'warn', name: 'jeeves-bench' });
  const infra = await openInfrastructure({ config: loadConfig(env), logger });
  const services: Array<BenchChild<{ url: string }>> = [];
  try {
    const jeeves = await wireJeeves(infra);
    // Serves the monolith's JWKS, which the extracted services verify tokens against.
    const server = await listen(jeeves.app, 0, '127.0.0.1');
    try {
      const serviceEnv: Env = { ...env, TOKENS_JWKS_URL: `http://127.0.0.1:${server.port}/.well-known/jwks.json` };
      for (const [name, port] of [['users', usersPort], ['weather', weatherPort]] as const) {
        const params: ExtractedServiceParams = { name, env: serviceEnv, port };
        services.push(await startChild<{ url: string }>(`remote-${name}-service`, join(__dirname, 'extracted-service.child.ts'), params));
      }
      const direct = createUsersService({ dataSource: infra.dataSource, logger });
      await jeeves.users.getOrCreate(MEMBER, { displayName: 'Bench' });
      const pairs = [
        { label: 'users.get', module: 'users', method: 'get', call: () => jeeves.users.get(MEMBER), direct: () => direct.get(MEMBER) },
        { label: 'weather.currentFor', module: 'weather', method: 'currentFor', call: () => jeeves.weather.currentFor('Paris'), direct: undefined },
      ];
      const registry = infra.metrics.registry;
      let misrouted = 0;
      const figures = pairs.map(() => ({ direct: empty(), local: empty(), remote: empty() }));
      for (let round = 0; round < ctx.settings.rounds; round++) {
        for (const on of [false, true]) {
          await setRemote(flagsFile, on, () => infra.flags.isEnabled('users-remote') && infra.flags.isEnabled('weather-remote'));
          for (const [i, pair] of pairs.entries()) {
            ctx.log(`remote: round ${round + 1}/${ctx.settings.rounds}, ${pair.label} ${on ? 'remote' : 'in-process'}`);
            if (round === 0) await timeSequential(pair.call, WARMUP_CALLS);
            if (round === 0 && !on && pair.direct) await timeSequential(pair.direct, WARMUP_CALLS);
            const route = on ? 'remote' : 'local';
            const before = await okCalls(registry, pair.module, pair.method, route);
            await measure(pair.call, ctx.settings.remoteCalls, on ? figures[i]!.remote : figures[i]!.local, on ? services[i] : undefined);
            // measure() makes 2 × remoteCalls calls; any not answered ok on the intended route fell back or failed.
            misrouted += 2 * ctx.settings.remoteCalls - ((await okCalls(registry, pair.module, pair.method, route)) - before);
            if (!on && pair.direct) await measure(pair.direct, ctx.settings.remoteCalls, figures[i]!.direct);
          }
        }
      }
      const rows = pairs.flatMap((pair, i) => {
        const f = figures[i]!;
        const all = rowsFor(pair.label, f.direct, f.local, f.remote);
        // Weather has no switch-free path here that answers from the same cache; its last row would be empty.
        return pair.direct ? all : all.slice(0, -1);
      });
      rows[0]!.note = 'remote: through src/routing.ts (flag, breaker, service JWT, trace headers) to the extracted service in its own process on 127.0.0.1';
      if (misrouted > 0) {
        // A fallback to in-process would make "remote" look free: the figures are void.
        for (const r of rows) r.pass = r.pass === undefined ? undefined : false;
        rows[0]!.note += `; ${misrouted} calls did not answer ok on their intended route (fallback or error): figures void`;
      }
      return rows;
    } finally {
      await Promise.all(services.map((s) => s.close()));
      await server.close();
      jeeves.routing.close();
    }
  } finally {
    await infra.close(1000);
    await openMeteo.close();
    await redis.clear();
  }
}

export const remoteSection: BenchSection = { id: 'remote', issue: 3, title: 'users and weather calls, in-process vs remote (through the switch)', run: runRemote };
