import { AppError, UnavailableError } from '../../src/platform/errors';
import { createFakeFlagResolver } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createModuleSwitch, createRoutingRegistry, differences, switchMetrics, type ModulePolicy, type RoutingRegistry } from '../../src/platform/remote';

interface Item {
  id: string;
  name: string;
  tags: string[];
}

interface Catalog {
  find(id: string): Promise<Item>;
  rename(id: string, name: string): Promise<Item>;
}

const policy: ModulePolicy<Catalog> = {
  find: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
  rename: { kind: 'write', idempotent: true, onRemoteFailure: 'fallback-local' },
};

const registries: RoutingRegistry[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.close()));

type Answer = (id: string) => Promise<Item>;

function setup(remoteFind: Answer, localFind: Answer = async (id) => ({ id, name: 'Lamp', tags: ['a', 'b'] })) {
  const remoteCalls: string[] = [];
  const lines: Array<{ level: number; msg: string; method?: string; diff?: string[] }> = [];
  const remote: Catalog = {
    find: (id) => {
      remoteCalls.push(`find ${id}`);
      return remoteFind(id);
    },
    rename: async (id, name) => {
      remoteCalls.push(`rename ${id}`);
      return { id, name, tags: [] };
    },
  };
  const local: Catalog = { find: localFind, rename: async (id, name) => ({ id, name, tags: [] }) };
  const metrics = createMetrics({ defaults: false });
  const registry = createRoutingRegistry();
  registries.push(registry);
  const catalog = createModuleSwitch<Catalog>({
    module: 'catalog',
    local,
    remote,
    flags: createFakeFlagResolver({ 'catalog-shadow': true }),
    policy,
    metrics,
    logger: createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }),
    retry: { attempts: 3, baseMs: 1 },
    registry,
  });
  const sm = switchMetrics(metrics.registry);
  const total = async (metric: { get(): Promise<{ values: Array<{ value: number }> }> }) => (await metric.get()).values.reduce((n, v) => n + v.value, 0);
  return {
    catalog,
    remoteCalls,
    lines,
    registry,
    mismatches: () => total(sm.shadowMismatches),
    failures: () => total(sm.shadowFailures),
    /** The comparison ran: both sides' latencies are recorded first thing. */
    compared: async () => (await sm.shadowDuration.get()).values.some((v) => v.metricName?.endsWith('_count') && v.labels.route === 'remote'),
    sm,
  };
}

/** Resolves once the background comparison has recorded something (it runs after both sides settle). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('module switch: shadow mode', () => {
  it('answers with the in-process result, counts the mismatch and logs the method with a short diff', async () => {
    const { catalog, remoteCalls, lines, mismatches } = setup(async (id) => ({ id, name: 'Lamp!', tags: ['a', 'b'] }));
    expect(await catalog.find('7')).toEqual({ id: '7', name: 'Lamp', tags: ['a', 'b'] });
    expect(remoteCalls).toEqual(['find 7']);
    await eventually(async () => (await mismatches()) === 1);
    expect(lines).toEqual([expect.objectContaining({ method: 'find', diff: ['$.name: "Lamp" ≠ "Lamp!"'] })]);
  });

  it('counts no mismatch when the answers differ only in key order', async () => {
    const { catalog, mismatches, compared } = setup(async (id) => ({ tags: ['a', 'b'], name: 'Lamp', id }));
    await catalog.find('7');
    await eventually(compared);
    expect(await mismatches()).toBe(0);
  });

  it('does not wait for the remote side: the answer comes while the remote is still pending', async () => {
    const pending = deferred<Item>();
    const { catalog, mismatches } = setup(() => pending.promise);
    expect((await catalog.find('7')).name).toBe('Lamp');
    expect(await mismatches()).toBe(0);

    pending.resolve({ id: '7', name: 'Other', tags: [] });
    await eventually(async () => (await mismatches()) === 1);
  });

  it("when the remote side fails, then the answer is unaffected, nothing is retried, and it counts as a shadow failure, not a mismatch", async () => {
    const { catalog, remoteCalls, mismatches, failures } = setup(async () => {
      throw new UnavailableError('CATALOG.UNAVAILABLE', 'catalog service is unreachable');
    });
    expect((await catalog.find('7')).name).toBe('Lamp');
    await eventually(async () => (await failures()) === 1);
    expect(await mismatches()).toBe(0);
    expect(remoteCalls).toEqual(['find 7']);
  });

  it('when the in-process side fails, then the caller gets its error, and the same error code remotely is no mismatch', async () => {
    const notFound = () => new AppError('CATALOG.NOT_FOUND', 'no such item', 404);
    const { catalog, mismatches, compared } = setup(
      async () => {
        throw notFound();
      },
      async () => {
        throw notFound();
      },
    );
    await expect(catalog.find('7')).rejects.toMatchObject({ code: 'CATALOG.NOT_FOUND' });
    await eventually(compared);
    expect(await mismatches()).toBe(0);
  });

  it('counts a mismatch when one side answers and the other refuses', async () => {
    const { catalog, mismatches } = setup(async () => {
      throw new AppError('CATALOG.NOT_FOUND', 'no such item', 404);
    });
    expect((await catalog.find('7')).name).toBe('Lamp');
    await eventually(async () => (await mismatches()) === 1);
  });

  it('never shadows a write: only the in-process side runs, routed local', async () => {
    const { catalog, remoteCalls, sm } = setup(async (id) => ({ id, name: 'x', tags: [] }));
    await catalog.rename('7', 'Desk');
    expect(remoteCalls).toEqual([]);
    const { values } = await sm.calls.get();
    expect(values.map((v) => v.labels)).toEqual([expect.objectContaining({ method: 'rename', route: 'local', outcome: 'ok' })]);
  });

  it('counts a shadowed read on the shadow route and times both sides', async () => {
    const { catalog, sm, registry, compared } = setup(async (id) => ({ id, name: 'Lamp', tags: ['a', 'b'] }));
    await catalog.find('7');
    await eventually(compared);
    const counts = (await sm.shadowDuration.get()).values.filter((v) => v.metricName?.endsWith('_count')).map((v) => [v.labels.route, v.value]);
    expect(counts).toEqual(expect.arrayContaining([['local', 1], ['remote', 1]]));
    expect((await sm.calls.get()).values.map((v) => v.labels)).toEqual([expect.objectContaining({ route: 'shadow', outcome: 'ok' })]);
    expect(registry.routingStatus()[0]).toMatchObject({ routing: 'shadow', shadowPercent: 100 });
  });
});

describe('shadow comparison', () => {
  it('ignores key order and keys holding undefined', () => {
    expect(differences({ a: 1, b: { c: 2, d: undefined } }, { b: { c: 2 }, a: 1 })).toEqual([]);
  });

  it('compares arrays in order and reports a length difference', () => {
    expect(differences([1, 2], [2, 1])).toEqual(['$[0]: 1 ≠ 2', '$[1]: 2 ≠ 1']);
    expect(differences({ xs: [1, 2, 3] }, { xs: [1, 2] })).toEqual(['$.xs: 3 items ≠ 2 items']);
  });

  it('treats a Date as its ISO string, as it travels over JSON', () => {
    expect(differences({ at: new Date('2026-01-02T03:04:05.000Z') }, { at: '2026-01-02T03:04:05.000Z' })).toEqual([]);
  });

  it('tells null from a missing value and a number from its string', () => {
    expect(differences({ a: null, n: 1 }, { n: '1' })).toEqual(['$.a: null ≠ undefined', '$.n: 1 ≠ "1"']);
  });

  it('keeps the diff short: long values cut, at most five lines', () => {
    const long = 'x'.repeat(100);
    expect(differences({ a: long }, { a: 'y' })[0]).toBe(`$.a: "${'x'.repeat(39)}… ≠ "y"`);
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    expect(differences(many, {})).toHaveLength(5);
  });
});
