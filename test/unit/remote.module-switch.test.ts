import { setTimeout as sleep } from 'node:timers/promises';
import { createFakeUsersService, usersRemotePolicy, type UsersService } from '../../src/modules/users';
import { runWithContext } from '../../src/platform/context';
import { AppError, UnavailableError } from '../../src/platform/errors';
import { createFakeFlagResolver, type FakeFlagResolver } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { createMetrics, type Metrics } from '../../src/platform/metrics';
import { createModuleSwitch, createRoutingRegistry, switchMetrics, type ModulePolicy, type RoutingRegistry } from '../../src/platform/remote';

/** A two-method interface: enough to tell reads from writes and idempotent from not. */
interface Catalog {
  find(id: string): Promise<{ id: string; name: string }>;
  rename(id: string, name: string): Promise<{ id: string; name: string }>;
}

const catalogPolicy: ModulePolicy<Catalog> = {
  find: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
  rename: { kind: 'write', idempotent: false, onRemoteFailure: 'fail' },
};

type Behaviour = (method: keyof Catalog, args: unknown[]) => Promise<{ id: string; name: string }>;

/** A Catalog that answers with its own name, records every call, and can be told to fail. */
function scriptedCatalog(side: string) {
  const calls: string[] = [];
  let behaviour: Behaviour | undefined;
  const answer = (method: keyof Catalog, args: unknown[]) => {
    calls.push(method);
    return behaviour ? behaviour(method, args) : Promise.resolve({ id: String(args[0]), name: `${side}:${String(args[1] ?? 'item')}` });
  };
  const catalog: Catalog = { find: (id) => answer('find', [id]), rename: (id, name) => answer('rename', [id, name]) };
  return { catalog, calls, behave: (b: Behaviour | undefined) => (behaviour = b) };
}

/** Fails the first `n` calls with `error`, then answers normally. */
function failing(n: number, error: () => unknown, side = 'remote'): Behaviour {
  let left = n;
  return async (_method, args) => {
    if (left-- > 0) throw error();
    return { id: String(args[0]), name: `${side}:${String(args[1] ?? 'item')}` };
  };
}

const unreachable = () => new UnavailableError('CATALOG.UNAVAILABLE', 'catalog service is unreachable');

interface Setup {
  flags: FakeFlagResolver;
  metrics: Metrics;
  registry: RoutingRegistry;
  local: ReturnType<typeof scriptedCatalog>;
  remote: ReturnType<typeof scriptedCatalog>;
  catalog: Catalog;
  count(labels: Record<string, string>): Promise<number>;
}

const registries: RoutingRegistry[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.close()));

function setup({ flagsOn = [] as string[], configured = true } = {}): Setup {
  const flags = createFakeFlagResolver(Object.fromEntries(flagsOn.map((name) => [name, true])));
  const metrics = createMetrics({ defaults: false });
  const registry = createRoutingRegistry();
  registries.push(registry);
  const local = scriptedCatalog('local');
  const remote = scriptedCatalog('remote');
  const catalog = createModuleSwitch<Catalog>({
    module: 'catalog',
    local: local.catalog,
    remote: configured ? remote.catalog : undefined,
    flags,
    policy: catalogPolicy,
    metrics,
    logger: createLogger({ level: 'silent' }),
    retry: { attempts: 3, baseMs: 1 },
    registry,
  });
  const count = async (labels: Record<string, string>) => {
    const { values } = await switchMetrics(metrics.registry).calls.get();
    return values.filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k as keyof typeof v.labels] === want)).reduce((n, v) => n + v.value, 0);
  };
  return { flags, metrics, registry, local, remote, catalog, count };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('module switch: routing by flags', () => {
  it('when catalog-remote is off, then only the in-process implementation answers', async () => {
    const { catalog, local, remote, count } = setup();
    expect(await catalog.find('a')).toEqual({ id: 'a', name: 'local:item' });
    expect(local.calls).toEqual(['find']);
    expect(remote.calls).toEqual([]);
    expect(await count({ module: 'catalog', method: 'find', route: 'local', outcome: 'ok' })).toBe(1);
  });

  it('when catalog-remote is on, then the remote implementation answers and the in-process one is not called', async () => {
    const { catalog, local, remote, count } = setup({ flagsOn: ['catalog-remote'] });
    expect(await catalog.find('a')).toEqual({ id: 'a', name: 'remote:item' });
    expect(remote.calls).toEqual(['find']);
    expect(local.calls).toEqual([]);
    expect(await count({ route: 'remote', outcome: 'ok' })).toBe(1);
  });

  it('reads the flag on every call: a flip between two calls moves the next call without recreating anything', async () => {
    const { catalog, flags, local, remote } = setup();
    await catalog.find('a');
    flags.set('catalog-remote', true);
    await catalog.find('b');
    flags.set('catalog-remote', false);
    await catalog.find('c');
    expect(local.calls).toHaveLength(2);
    expect(remote.calls).toHaveLength(1);
  });

  it('when both catalog-remote and catalog-shadow are on, then remote wins', async () => {
    const { catalog, local, remote } = setup({ flagsOn: ['catalog-remote', 'catalog-shadow'] });
    expect((await catalog.find('a')).name).toBe('remote:item');
    expect(local.calls).toEqual([]);
    expect(remote.calls).toEqual(['find']);
  });

  it('evaluates the partial rollout with the caller of the current context, sticky per user', async () => {
    const { catalog, flags } = setup();
    flags.set('catalog-remote', { rollout: 50, stickiness: 'userId' });
    const users = Array.from({ length: 40 }, (_, i) => `U${String(i).padStart(8, '0')}`);
    // The answer says which side gave it ("remote:item" or "local:item").
    const routeOf = async (userId: string) => {
      const { name } = await runWithContext({ requestId: `r-${userId}`, userId, teamId: 'T1' }, () => catalog.find('a'));
      return name.split(':')[0];
    };
    const first = await Promise.all(users.map(routeOf));
    const second = await Promise.all(users.map(routeOf));

    expect(second).toEqual(first);
    expect(first).toEqual(users.map((userId) => (flags.isEnabled('catalog-remote', { userId }) ? 'remote' : 'local')));
    expect(new Set(first)).toEqual(new Set(['remote', 'local']));
  });

  it('exposes exactly the policy methods, so the switch stands in for the interface', () => {
    const { catalog } = setup();
    expect(Object.keys(catalog).sort()).toEqual(['find', 'rename']);
  });

  it('refuses a policy naming a method the implementation does not have', () => {
    const local = scriptedCatalog('local').catalog;
    const make = () =>
      createModuleSwitch<Catalog>({
        module: 'catalog',
        local,
        remote: undefined,
        flags: createFakeFlagResolver(),
        // Built untyped on purpose: this is what the compiler would refuse (see the type check below).
        policy: { ...catalogPolicy, remove: catalogPolicy.rename } as ModulePolicy<Catalog>,
        metrics: createMetrics({ defaults: false }),
        logger: createLogger({ level: 'silent' }),
      });
    expect(make).toThrow(/remove/);
  });
});

describe('module switch: remote failures', () => {
  it('when the remote fails and the method falls back, then the in-process answer is given and counted as fallback', async () => {
    const { catalog, remote, count } = setup({ flagsOn: ['catalog-remote'] });
    remote.behave(failing(99, () => new AppError('INTERNAL', 'boom', 500)));
    expect(await catalog.find('a')).toEqual({ id: 'a', name: 'local:item' });
    expect(await count({ route: 'remote', outcome: 'fallback' })).toBe(1);
  });

  it('when the remote fails and the method fails, then CATALOG.REMOTE_UNAVAILABLE 503 carries the cause and nothing runs in-process', async () => {
    const { catalog, local, remote, count } = setup({ flagsOn: ['catalog-remote'] });
    const cause = new AppError('INTERNAL', 'boom', 500);
    remote.behave(failing(99, () => cause));
    const err = await rejection(catalog.rename('a', 'b'));
    expect(err).toMatchObject({ code: 'CATALOG.REMOTE_UNAVAILABLE', status: 503 });
    expect(err.cause).toBe(cause);
    expect(local.calls).toEqual([]);
    expect(await count({ route: 'remote', outcome: 'error' })).toBe(1);
  });

  it('counts an in-process refusal (not found) as refused and an in-process crash as error, so only the crash is an error', async () => {
    const { catalog, local, count } = setup();
    local.behave(async () => {
      throw new AppError('CATALOG.NOT_FOUND', 'no such item', 404);
    });
    await rejection(catalog.find('a'));
    local.behave(async () => {
      throw new TypeError('boom');
    });
    await rejection(catalog.find('a'));
    expect(await count({ route: 'local', outcome: 'refused' })).toBe(1);
    expect(await count({ route: 'local', outcome: 'error' })).toBe(1);
  });

  it('passes an application error of the remote through unchanged, without retry or fallback', async () => {
    const { catalog, local, remote, count } = setup({ flagsOn: ['catalog-remote'] });
    const notFound = new AppError('CATALOG.NOT_FOUND', 'no such item', 404);
    remote.behave(async () => {
      throw notFound;
    });
    expect(await rejection(catalog.find('a'))).toBe(notFound);
    expect(remote.calls).toEqual(['find']);
    expect(local.calls).toEqual([]);
    expect(await count({ route: 'remote', outcome: 'refused' })).toBe(1);
    expect(await count({ route: 'remote', outcome: 'error' })).toBe(0);
  });

  it('passes USERS.NOT_FOUND from a remote users service through as the same error', async () => {
    const local = createFakeUsersService();
    await local.getOrCreate({ teamId: 'T0123ABCD', userId: 'U0123ABCD' });
    const users = createModuleSwitch<UsersService>({
      module: 'users',
      local,
      remote: createFakeUsersService(),
      flags: createFakeFlagResolver({ 'users-remote': true }),
      policy: usersRemotePolicy,
      metrics: createMetrics({ defaults: false }),
      logger: createLogger({ level: 'silent' }),
    });
    expect(await rejection(users.get({ teamId: 'T0123ABCD', userId: 'U0123ABCD' }))).toMatchObject({ code: 'USERS.NOT_FOUND', status: 404 });
  });

  it('retries an idempotent method after a retryable failure: one answer, two remote calls', async () => {
    const { catalog, local, remote, count } = setup({ flagsOn: ['catalog-remote'] });
    remote.behave(failing(1, unreachable));
    expect(await catalog.find('a')).toEqual({ id: 'a', name: 'remote:item' });
    expect(remote.calls).toEqual(['find', 'find']);
    expect(local.calls).toEqual([]);
    expect(await count({ route: 'remote', outcome: 'ok' })).toBe(1);
  });

  it('never retries a non-idempotent method', async () => {
    const { catalog, remote } = setup({ flagsOn: ['catalog-remote'] });
    remote.behave(failing(1, unreachable));
    expect(await rejection(catalog.rename('a', 'b'))).toMatchObject({ code: 'CATALOG.REMOTE_UNAVAILABLE' });
    expect(remote.calls).toEqual(['rename']);
  });

  it('does not retry a failure that would fail the same way (a 500)', async () => {
    const { catalog, remote } = setup({ flagsOn: ['catalog-remote'] });
    remote.behave(failing(1, () => new AppError('INTERNAL', 'bug', 500)));
    expect((await catalog.find('a')).name).toBe('local:item');
    expect(remote.calls).toEqual(['find']);
  });

  it('gives up after the configured attempts and then applies the policy', async () => {
    const { catalog, remote, count } = setup({ flagsOn: ['catalog-remote'] });
    remote.behave(failing(3, unreachable));
    expect((await catalog.find('a')).name).toBe('local:item');
    expect(remote.calls).toHaveLength(3);
    expect(await count({ outcome: 'fallback' })).toBe(1);
  });

  it('when no remote is configured, then a remote flag still answers in-process, warns once and counts remote_unconfigured', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const local = scriptedCatalog('local');
    const metrics = createMetrics({ defaults: false });
    const catalog = createModuleSwitch<Catalog>({
      module: 'catalog',
      local: local.catalog,
      remote: undefined,
      flags: createFakeFlagResolver({ 'catalog-remote': true }),
      policy: catalogPolicy,
      metrics,
      logger: createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }),
    });
    await catalog.find('a');
    await catalog.find('b');
    expect(local.calls).toEqual(['find', 'find']);
    expect(lines.filter((l) => l.msg.includes('CATALOG_SERVICE_URL'))).toHaveLength(1);
    const { values } = await switchMetrics(metrics.registry).calls.get();
    expect(values).toEqual([expect.objectContaining({ value: 2, labels: expect.objectContaining({ outcome: 'remote_unconfigured' }) })]);
  });

  it('times each call by module, method and route', async () => {
    const { catalog, metrics, remote } = setup({ flagsOn: ['catalog-remote'] });
    remote.behave(async (_m, args) => {
      await sleep(20);
      return { id: String(args[0]), name: 'slow' };
    });
    await catalog.find('a');
    const { values } = await switchMetrics(metrics.registry).duration.get();
    const sum = values.find((v) => v.metricName === 'jeeves_module_call_duration_seconds_sum' && v.labels.route === 'remote');
    expect(sum?.value).toBeGreaterThanOrEqual(0.015);
  });
});

describe('module switch: typing', () => {
  it('requires a policy for every method and accepts no other (checked by tsc)', () => {
    // @ts-expect-error: rename is missing
    const missing: ModulePolicy<Catalog> = { find: catalogPolicy.find };
    // @ts-expect-error: remove is not a method of Catalog
    const extra: ModulePolicy<Catalog> = { ...catalogPolicy, remove: catalogPolicy.find };
    expect([missing, extra]).toHaveLength(2);
  });
});
