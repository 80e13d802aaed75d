import { AppError, UnavailableError } from '../../src/platform/errors';
import { createFakeFlagResolver } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createModuleSwitch, createRoutingRegistry, switchMetrics, type BreakerOptions, type ModulePolicy, type RoutingRegistry } from '../../src/platform/remote';

interface Catalog {
  find(id: string): Promise<string>;
  rename(id: string, name: string): Promise<string>;
}

const policy: ModulePolicy<Catalog> = {
  find: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
  rename: { kind: 'write', idempotent: false, onRemoteFailure: 'fail' },
};

const registries: RoutingRegistry[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.close()));

/** A remote whose next answers the test decides: 'ok', a failure, an application error, or never. */
function setup(breaker: BreakerOptions) {
  let mode: 'ok' | 'down' | 'not-found' | 'hang' = 'ok';
  const remoteCalls: string[] = [];
  const remote: Catalog = {
    find: async (id) => {
      remoteCalls.push(id);
      if (mode === 'down') throw new UnavailableError('CATALOG.UNAVAILABLE', 'catalog service is unreachable');
      if (mode === 'not-found') throw new AppError('CATALOG.NOT_FOUND', 'no such item', 404);
      if (mode === 'hang') return new Promise<string>(() => undefined);
      return `remote:${id}`;
    },
    rename: async (id) => {
      remoteCalls.push(id);
      if (mode === 'down') throw new UnavailableError('CATALOG.UNAVAILABLE', 'catalog service is unreachable');
      return `remote:${id}`;
    },
  };
  const local: Catalog = { find: async (id) => `local:${id}`, rename: async (id) => `local:${id}` };
  const metrics = createMetrics({ defaults: false });
  const registry = createRoutingRegistry();
  registries.push(registry);
  const catalog = createModuleSwitch<Catalog>({
    module: 'catalog',
    local,
    remote,
    flags: createFakeFlagResolver({ 'catalog-remote': true }),
    policy,
    metrics,
    logger: createLogger({ level: 'silent' }),
    breaker,
    retry: { attempts: 1 },
    registry,
  });
  const gauge = async () => (await switchMetrics(metrics.registry).breakerState.get()).values.find((v) => v.labels.module === 'catalog')?.value;
  const outcomes = async () => {
    const { values } = await switchMetrics(metrics.registry).calls.get();
    return Object.fromEntries(values.map((v) => [`${String(v.labels.method)}/${String(v.labels.outcome)}`, v.value]));
  };
  const state = () => registry.routingStatus()[0]!.breaker;
  return { catalog, remoteCalls, setMode: (m: typeof mode) => (mode = m), gauge, outcomes, state };
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const fast: BreakerOptions = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeout: 60_000, timeout: 1000 };

describe('module switch: circuit breaker', () => {
  it('opens after repeated failures; then the remote is not called and the fallback answers at once', async () => {
    const { catalog, remoteCalls, setMode, gauge, outcomes, state } = setup(fast);
    setMode('down');
    for (const id of ['1', '2', '3']) expect(await catalog.find(id)).toBe(`local:${id}`);
    expect(state()).toBe('open');
    expect(await gauge()).toBe(2);

    setMode('ok');
    expect(await catalog.find('4')).toBe('local:4');
    expect(remoteCalls).toEqual(['1', '2', '3']);
    expect(await outcomes()).toEqual({ 'find/fallback': 4 });
  });

  it("when open and the method's policy is fail, then REMOTE_UNAVAILABLE without calling the remote, counted as rejected", async () => {
    const { catalog, remoteCalls, setMode, outcomes } = setup(fast);
    setMode('down');
    for (const id of ['1', '2', '3']) await catalog.find(id);
    await expect(catalog.rename('9', 'x')).rejects.toMatchObject({ code: 'CATALOG.REMOTE_UNAVAILABLE', status: 503 });
    expect(remoteCalls).not.toContain('9');
    expect(await outcomes()).toMatchObject({ 'rename/rejected': 1 });
  });

  it('goes half-open after the reset timeout, and closes when the probe succeeds', async () => {
    const { catalog, remoteCalls, setMode, gauge, state } = setup({ ...fast, resetTimeout: 30 });
    setMode('down');
    for (const id of ['1', '2', '3']) await catalog.find(id);
    expect(state()).toBe('open');

    await waitFor(() => state() === 'half-open');
    expect(await gauge()).toBe(1);
    setMode('ok');
    expect(await catalog.find('probe')).toBe('remote:probe');
    expect(state()).toBe('closed');
    expect(await gauge()).toBe(0);
    expect(await catalog.find('after')).toBe('remote:after');
    expect(remoteCalls.slice(-2)).toEqual(['probe', 'after']);
  });

  it('opens again when the half-open probe fails', async () => {
    const { catalog, setMode, state } = setup({ ...fast, resetTimeout: 30 });
    setMode('down');
    for (const id of ['1', '2', '3']) await catalog.find(id);
    await waitFor(() => state() === 'half-open');
    expect(await catalog.find('probe')).toBe('local:probe');
    expect(state()).toBe('open');
  });

  it("is not tripped by the remote's application errors, which pass through", async () => {
    const { catalog, remoteCalls, setMode, state } = setup(fast);
    setMode('not-found');
    for (let i = 0; i < 6; i++) await expect(catalog.find(String(i))).rejects.toMatchObject({ code: 'CATALOG.NOT_FOUND' });
    expect(state()).toBe('closed');
    expect(remoteCalls).toHaveLength(6);
  });

  it('when the remote does not answer within the breaker timeout, then the policy applies without waiting longer', async () => {
    const { catalog, setMode, outcomes } = setup({ ...fast, timeout: 20 });
    setMode('hang');
    const started = Date.now();
    expect(await catalog.find('1')).toBe('local:1');
    expect(Date.now() - started).toBeLessThan(500);
    expect(await outcomes()).toEqual({ 'find/fallback': 1 });
  });

  it('shows each module in routingStatus with its routing and breaker state', () => {
    const { state } = setup(fast);
    expect(state()).toBe('closed');
    const registry = registries[0]!;
    expect(registry.routingStatus()).toEqual([
      { module: 'catalog', routing: 'remote', remoteConfigured: true, remotePercent: 100, shadowPercent: 0, breaker: 'closed' },
    ]);
  });
});
