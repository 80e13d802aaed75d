import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usersService } from '../../extracted/users/main';
import { weatherService } from '../../extracted/weather/main';
import { loadConfig, type Env } from '../../src/config';
import { freePort } from '../../src/platform/db/embedded-postgres';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { listen, type ListeningServer } from '../../src/platform/server';
import { startService, type RunningService, type ServiceDefinition } from '../../src/service-host/service-host';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';

/**
 * Issue 3, item 7: chat traffic that needs users and weather keeps flowing while the flags move
 * weather-remote 0 → 50% → 100% → 0 and users-remote on → off, and while the extracted weather
 * service dies and comes back. Every message is answered exactly once and correctly; the
 * monolith's /metrics shows where the calls went.
 */

const USERS = 6;
const REPLY_TIMEOUT_MS = 10_000;

interface FlagSetting {
  enabled: boolean;
  rollout: number;
}

type Sample = { labels: Record<string, string>; value: number };

function parseMetric(text: string, name: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf('}');
    const labels: Record<string, string> = {};
    for (const m of line.slice(name.length + 1, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
    samples.push({ labels, value: Number(line.slice(close + 1).trim()) });
  }
  return samples;
}

/** Sum of jeeves_module_calls_total over the series matching every given label. */
function calls(text: string, match: Record<string, string | string[]>): number {
  return parseMetric(text, 'jeeves_module_calls_total')
    .filter((s) => Object.entries(match).every(([k, v]) => (Array.isArray(v) ? v.includes(s.labels[k] ?? '') : s.labels[k] === v)))
    .reduce((sum, s) => sum + s.value, 0);
}

function breakerState(text: string, module: string): number | undefined {
  return parseMetric(text, 'jeeves_module_breaker_state').find((s) => s.labels.module === module)?.value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('flip under load', () => {
  let h: JeevesHarness;
  let monolith: ListeningServer;
  let weather: RunningService | undefined;
  let users: RunningService | undefined;
  let flagsFile: string;
  let weatherPort: number;
  let serviceEnv: Env;

  const monolithUrl = () => `http://127.0.0.1:${monolith.port}`;
  const metrics = async () => (await fetch(`${monolithUrl()}/metrics`)).text();

  function startExtracted(definition: ServiceDefinition, port: number): Promise<RunningService> {
    return startService(definition, {
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...serviceEnv }),
      port,
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics({ defaults: false }),
    });
  }

  async function setFlags(weatherRemote: FlagSetting, usersRemote: FlagSetting): Promise<void> {
    const tmp = `${flagsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ flags: { 'weather-remote': weatherRemote, 'users-remote': usersRemote } }));
    renameSync(tmp, flagsFile);
    const applied = (name: string, want: FlagSetting) => (list: ReturnType<typeof h.infra.flags.list>) => {
      const f = list.find((x) => x.name === name);
      return f !== undefined && f.enabled === want.enabled && f.rollout === want.rollout;
    };
    await eventually(() => h.infra.flags.list(), (l) => applied('weather-remote', weatherRemote)(l) && applied('users-remote', usersRemote)(l), 5000);
  }

  beforeAll(async () => {
    const [monolithPort, usersPort] = [await freePort(), await freePort()];
    weatherPort = await freePort();
    flagsFile = join(tmpdir(), `jeeves-flip-under-load-${process.pid}-${Date.now()}.json`);
    writeFileSync(flagsFile, JSON.stringify({ flags: {} }));
    h = await startJeevesHarness({
      FLAGS_FILE: flagsFile,
      FLAGS_REFRESH_MS: '100',
      WEATHER_SERVICE_URL: `http://127.0.0.1:${weatherPort}`,
      USERS_SERVICE_URL: `http://127.0.0.1:${usersPort}`,
    });
    monolith = await listen(h.jeeves.app, monolithPort, '127.0.0.1');
    serviceEnv = {
      DATABASE_URL: h.database.url,
      TOKENS_JWKS_URL: `http://127.0.0.1:${monolithPort}/.well-known/jwks.json`,
      WEATHER_API_URL: h.openMeteo.forecastUrl,
      GEOCODING_API_URL: h.openMeteo.geocodingUrl,
    };
    weather = await startExtracted(weatherService, weatherPort);
    users = await startExtracted(usersService, usersPort);
  }, 60_000);

  afterAll(async () => {
    await weather?.close();
    await users?.close();
    await monolith?.close();
    await h?.close();
    if (flagsFile) rmSync(flagsFile, { force: true });
  });

  it('answers every message exactly once while flags flip and the weather service dies and returns', async () => {
    const started = Date.now();
    const channelOf = (i: number) => `D0FLIP${String(i).padStart(4, '0')}`;
    const repliesIn = (channel: string) => h.slack.messages.filter((m) => m.channel === channel);
    const sent = new Map<string, number>();
    const wrong: string[] = [];
    let stop = false;

    // Each member loops: weather somewhere, set a location, weather at home; one message at a time.
    const script: Array<{ text: string; expect: RegExp }> = [
      { text: 'weather in Paris', expect: /Paris.*°C/s },
      { text: 'location set Lyon', expect: /Lyon/ },
      { text: 'weather', expect: /Lyon.*°C/s },
    ];
    async function member(i: number): Promise<void> {
      const channel = channelOf(i);
      const userId = `U0FLIP${String(i).padStart(4, '0')}`;
      let n = 0;
      const hardStop = Date.now() + 90_000;
      while (!stop && Date.now() < hardStop) {
        const step = script[n % script.length]!;
        const event = h.signedDm(step.text, { channel, userId });
        const res = await fetch(`${monolithUrl()}/slack/events`, { method: 'POST', headers: event.headers, body: event.body }).catch((err: unknown) => err as Error);
        if (res instanceof Error || res.status !== 200) {
          wrong.push(`${channel} "${step.text}": ${res instanceof Error ? res.message : `HTTP ${res.status}`}`);
          return;
        }
        n += 1;
        sent.set(channel, n);
        try {
          const replies = await eventually(() => repliesIn(channel), (r) => r.length >= n, REPLY_TIMEOUT_MS);
          const text = replies[n - 1]?.text ?? '';
          if (!step.expect.test(text)) wrong.push(`${channel} "${step.text}" → ${JSON.stringify(text)}`);
        } catch (err) {
          wrong.push(`${channel} "${step.text}": no reply (${err instanceof Error ? err.message : String(err)})`);
          return;
        }
      }
    }

    const off = { enabled: false, rollout: 100 };
    const on = (rollout: number) => ({ enabled: true, rollout });
    await setFlags(on(0), on(100));
    const load = Promise.all(Array.from({ length: USERS }, (_, i) => member(i)));
    const phaseMs = 2500;
    try {
      // weather local, users remote
      let before = await metrics();
      await sleep(phaseMs);
      let after = await metrics();
      expect(calls(after, { module: 'users', route: 'remote', outcome: 'ok' })).toBeGreaterThan(calls(before, { module: 'users', route: 'remote', outcome: 'ok' }));
      expect(calls(after, { module: 'weather', route: 'local' })).toBeGreaterThan(calls(before, { module: 'weather', route: 'local' }));
      expect(calls(after, { module: 'weather', route: 'remote' })).toBe(calls(before, { module: 'weather', route: 'remote' }));

      // weather at 50%: with six sticky members both routes carry traffic
      await setFlags(on(50), on(100));
      before = await metrics();
      await sleep(phaseMs);
      after = await metrics();
      expect(calls(after, { module: 'weather', route: 'remote', outcome: 'ok' })).toBeGreaterThan(calls(before, { module: 'weather', route: 'remote', outcome: 'ok' }));
      expect(calls(after, { module: 'weather', route: 'local' })).toBeGreaterThan(calls(before, { module: 'weather', route: 'local' }));

      // weather at 100%: nothing local any more
      await setFlags(on(100), on(100));
      await sleep(300); // calls already in flight finish on the route they started on
      before = await metrics();
      await sleep(phaseMs);
      after = await metrics();
      expect(calls(after, { module: 'weather', route: 'remote', outcome: 'ok' })).toBeGreaterThan(calls(before, { module: 'weather', route: 'remote', outcome: 'ok' }));
      expect(calls(after, { module: 'weather', route: 'local' })).toBe(calls(before, { module: 'weather', route: 'local' }));

      // back to 0 and users off: everything in-process
      await setFlags(on(0), off);
      await sleep(300);
      before = await metrics();
      await sleep(phaseMs);
      after = await metrics();
      for (const module of ['weather', 'users']) {
        expect(calls(after, { module, route: 'local', outcome: 'ok' })).toBeGreaterThan(calls(before, { module, route: 'local', outcome: 'ok' }));
        expect(calls(after, { module, route: 'remote' })).toBe(calls(before, { module, route: 'remote' }));
      }

      // weather at 100% again, then the service dies mid-stream: the breaker opens, calls fall back in-process
      await setFlags(on(100), off);
      await sleep(500);
      const beforeKill = await metrics();
      expect(breakerState(beforeKill, 'weather') ?? 0).toBe(0);
      await weather!.close();
      weather = undefined;
      const failed = (text: string) => calls(text, { module: 'weather', route: 'remote', outcome: ['fallback', 'rejected'] });
      const opened = await eventually(metrics, (t) => breakerState(t, 'weather') === 2 && failed(t) > failed(beforeKill), 15_000);
      expect(calls(opened, { module: 'weather', route: 'remote', outcome: 'error' })).toBe(calls(beforeKill, { module: 'weather', route: 'remote', outcome: 'error' }));

      // it comes back on the same port; after the breaker's reset timeout calls return to it
      weather = await startExtracted(weatherService, weatherPort);
      const restarted = await metrics();
      const remoteOk = (text: string) => calls(text, { module: 'weather', route: 'remote', outcome: 'ok' });
      const recovered = await eventually(metrics, (t) => breakerState(t, 'weather') === 0 && remoteOk(t) > remoteOk(restarted), 25_000);
      expect(remoteOk(recovered)).toBeGreaterThan(remoteOk(restarted));
    } finally {
      stop = true;
      await load;
    }

    // Exactly once: every member's last reply arrived, and with every event and delivery ended no duplicate can come later.
    await h.jobsEnded();
    for (let i = 0; i < USERS; i += 1) {
      const channel = channelOf(i);
      expect({ channel, replies: repliesIn(channel).length }).toEqual({ channel, replies: sent.get(channel) });
    }
    expect(wrong).toEqual([]);
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(USERS * 6);
    console.info(`flip under load: ${total} messages from ${USERS} members answered once each in ${Date.now() - started} ms`);
  }, 90_000);
});
