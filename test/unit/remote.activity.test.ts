import { createFakeFlagResolver } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createModuleSwitch, createMismatchLog, createRoutingRegistry, redactAnswer, RECENT_MISMATCHES, switchMetrics, type ModulePolicy, type RoutingRegistry } from '../../src/platform/remote';
import { createRollingCount } from '../../src/platform/rolling-count';

/** What a switch tells the routing registry of its last minute and its last shadow mismatches. */

interface Lookup {
  find(id: string): Promise<{ id: string; owner: string; accessToken?: string }>;
}
const policy: ModulePolicy<Lookup> = { find: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' } };

const registries: RoutingRegistry[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.close()));

const talkative = (id: string) => ({ id, owner: 'remote side with a long name that goes on', accessToken: 'xoxb-1234-5678-abcdefghijkl' });

function setup(flags: Record<string, boolean>, remoteAnswer: (id: string) => { id: string; owner: string } = talkative) {
  let now = 1_000_000;
  const metrics = createMetrics({ defaults: false });
  const registry = createRoutingRegistry();
  registries.push(registry);
  const lookup = createModuleSwitch<Lookup>({
    module: 'lookup',
    local: { find: async (id) => ({ id, owner: 'local' }) },
    remote: { find: async (id) => remoteAnswer(id) },
    flags: createFakeFlagResolver(flags),
    policy,
    metrics,
    logger: createLogger({ level: 'silent' }),
    registry,
    now: () => now,
  });
  /** The background comparison has run: both sides' latencies are its first record. */
  const compared = async () => (await switchMetrics(metrics.registry).shadowDuration.get()).values.some((v) => v.metricName?.endsWith('_count') && v.labels.route === 'remote');
  return { lookup, registry, compared, advance: (ms: number) => (now += ms), activity: () => registry.activity()[0]! };
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(await check()).toBe(true);
}

describe('a rolling count', () => {
  it('counts what was added within the window, and forgets it once the window has passed', () => {
    let now = 0;
    const count = createRollingCount({ windowMs: 60_000, slotMs: 1000, now: () => now });
    count.add();
    now = 30_000;
    count.add(2);
    expect(count.total()).toBe(3);
    now = 60_500;
    expect(count.total()).toBe(2);
    now = 91_000;
    expect(count.total()).toBe(0);
  });
});

describe("a switch's last minute", () => {
  it('counts the calls of the last minute by route, not since start', async () => {
    const { lookup, advance, activity } = setup({});
    await lookup.find('1');
    await lookup.find('2');
    expect(activity().callsLastMinute).toEqual({ local: 2 });
    advance(61_000);
    await lookup.find('3');
    expect(activity().callsLastMinute).toEqual({ local: 1 });
    advance(61_000);
    expect(activity().callsLastMinute).toEqual({});
  });

  it('counts remote calls on their route', async () => {
    const { lookup, activity } = setup({ 'lookup-remote': true });
    await lookup.find('1');
    expect(activity().callsLastMinute).toEqual({ remote: 1 });
  });
});

describe("a switch's recent shadow mismatches", () => {
  it('keeps a mismatch with its method and both answers, redacted: no token, strings cut short', async () => {
    const { lookup, activity } = setup({ 'lookup-shadow': true });
    await lookup.find('7');
    await until(() => activity().recentMismatches.length === 1);
    const [mismatch] = activity().recentMismatches;
    expect(mismatch).toMatchObject({ method: 'find', local: '{"id":"7","owner":"local"}' });
    expect(mismatch!.remote).not.toContain('xoxb-1234');
    expect(mismatch!.remote).toContain('[redacted]');
    expect(mismatch!.remote).toContain('"owner":"remote side with a long …"');
    expect(Date.parse(mismatch!.at)).not.toBeNaN();
  });

  it('keeps nothing when both answers agree', async () => {
    const { lookup, activity, compared } = setup({ 'lookup-shadow': true }, (id) => ({ id, owner: 'local' }));
    await lookup.find('7');
    await until(compared);
    expect(activity().recentMismatches).toEqual([]);
  });

  it('keeps only the last few, newest first', () => {
    const log = createMismatchLog(3);
    for (let i = 1; i <= 5; i++) log.record(`m${i}`, i, -i);
    expect(log.recent().map((m) => m.method)).toEqual(['m5', 'm4', 'm3']);
    expect(createMismatchLog().recent()).toEqual([]);
    expect(RECENT_MISMATCHES).toBeGreaterThan(0);
  });

  it('redacts secrets at any depth and caps the whole answer', () => {
    expect(redactAnswer({ profile: { refresh_token: 'secret-value' } })).toBe('{"profile":{"refresh_token":"[redacted]"}}');
    expect(redactAnswer({ text: 'Bearer abc.def.ghi' })).toBe('{"text":"Bearer [redacted]"}');
    expect(redactAnswer(Array.from({ length: 100 }, (_, i) => i)).length).toBeLessThanOrEqual(201);
  });
});
