import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, type Env } from '../../src/config';
import { openInfrastructure } from '../../src/infrastructure/infrastructure';
import { createUsersService, type UserRef } from '../../src/modules/users';
import { wireJeeves } from '../../src/monolith/jeeves';
import { createLogger } from '../../src/platform/logger';
import { listen } from '../../src/platform/server';
import { startOpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { timeSequential } from '../lib/call-timing';
import { startChild, type BenchChild } from '../lib/child-process';
import type { BenchContext, BenchSection } from '../lib/context';
import { freePort } from '../lib/free-port';
import { jeevesEnv } from '../lib/jeeves-env';
import type { BenchRow } from '../lib/results';
import type { ExtractedServiceParams } from './extracted-service.child';
import { empty, measure, okCalls, rowsFor } from './remote-figures';

const WARMUP_CALLS = 300;
const MEMBER: UserRef = { teamId: 'T061EG9R6', userId: 'U0BENCH001' };
const FLAG_WAIT_MS = 10_000;

/** Writes the flags file and waits until the running resolver sees it (it watches the file). */
async function setRemote(file: string, on: boolean, seen: () => boolean): Promise<void> {
  await writeFile(file, JSON.stringify({ flags: { 'users-remote': { enabled: on }, 'weather-remote': { enabled: on } } }));
  const deadline = performance.now() + FLAG_WAIT_MS;
  while (seen() !== on) {
    if (performance.now() > deadline) throw new Error(`the flags file change (remote ${on ? 'on' : 'off'}) was not picked up within ${FLAG_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
      await jeeves.close();
    }
  } finally {
    await infra.close(1000);
    await openMeteo.close();
    await redis.clear();
  }
}

export const remoteSection: BenchSection = { id: 'remote', issue: 3, title: 'users and weather calls, in-process vs remote (through the switch)', run: runRemote };
