import { Registry } from 'prom-client';
import { modulesPanel, modulesPanelSchema } from '../../src/modules/dashboard';
import { createFakeFlagResolver } from '../../src/platform/flags';
import { describeRouting, switchMetrics, type ModuleActivity } from '../../src/platform/remote';

/** The modules panel's figures: totals from the switch's counters and histogram, the last minute and mismatches from its activity. */

const routing = [{ module: 'weather', routing: 'remote' as const, remoteConfigured: true, remotePercent: 40, shadowPercent: 0, breaker: 'closed' as const }];
const flags = [{ name: 'weather-remote', enabled: true, rollout: 40, stickiness: 'userId' as const }];
const quiet: ModuleActivity[] = [{ module: 'weather', callsLastMinute: {}, recentMismatches: [] }];
const base = { flags, flagsTarget: 'file flags.json', refreshMs: 1000 };

it('when calls were recorded, then each route shows its totals, outcomes, error rate and bucket quantiles, and the last minute apart', async () => {
  const registry = new Registry();
  const metrics = switchMetrics(registry);
  for (let i = 0; i < 9; i++) {
    metrics.calls.inc({ module: 'weather', method: 'forecast', route: 'remote', outcome: 'ok' });
    metrics.duration.observe({ module: 'weather', method: 'forecast', route: 'remote' }, 0.004);
  }
  metrics.calls.inc({ module: 'weather', method: 'forecast', route: 'remote', outcome: 'error' });
  metrics.duration.observe({ module: 'weather', method: 'forecast', route: 'remote' }, 0.2);
  const activity: ModuleActivity[] = [{ module: 'weather', callsLastMinute: { remote: 3 }, recentMismatches: [] }];

  const panel = modulesPanelSchema.parse(await modulesPanel({ ...base, routing, activity, registry }));
  expect(panel.modules[0]).toMatchObject({ module: 'weather', placement: 'remote', rollout: 40, stickiness: 'userId', shadowMismatchRate: null, recentMismatches: [] });
  expect(panel.modules[0]!.routes).toEqual([{ route: 'remote', callsPerMinute: 3, totalCalls: 10, outcomes: { ok: 9, error: 1 }, errorRate: 0.1, p50Ms: 5, p99Ms: 250 }]);
});

it('when calls happened long ago, then calls per minute is 0 while the totals stay', async () => {
  const registry = new Registry();
  switchMetrics(registry).calls.inc({ module: 'weather', method: 'forecast', route: 'local', outcome: 'ok' }, 5);
  const panel = await modulesPanel({ ...base, routing, activity: quiet, registry });
  expect(panel.modules[0]!.routes).toEqual([expect.objectContaining({ route: 'local', callsPerMinute: 0, totalCalls: 5 })]);
});

it('when nothing was called, then no route figures', async () => {
  const panel = await modulesPanel({ ...base, routing, activity: quiet, registry: new Registry() });
  expect(panel.modules[0]!.routes).toEqual([]);
});

it("the placement is the routing registry's (describeRouting), not derived again from the percentages", async () => {
  // Flags that ask for remote, on a module with no service configured: describeRouting says in-process.
  const resolver = createFakeFlagResolver({ 'weather-remote': true });
  const described = describeRouting('weather', resolver, false, 'closed');
  const panel = await modulesPanel({ ...base, routing: [described], activity: quiet, registry: new Registry() });
  expect(panel.modules[0]).toMatchObject({ placement: 'local', routing: 'in-process' });
  // And whatever the registry reports wins over the percentages beside it.
  const reported = await modulesPanel({ ...base, routing: [{ ...routing[0]!, routing: 'shadow' }], activity: quiet, registry: new Registry() });
  expect(reported.modules[0]!.placement).toBe('shadow');
});

it("shows the switch's recent mismatches, and the mismatch rate over shadowed calls", async () => {
  const registry = new Registry();
  const metrics = switchMetrics(registry);
  metrics.calls.inc({ module: 'weather', method: 'geocode', route: 'shadow', outcome: 'ok' }, 4);
  metrics.shadowMismatches.inc({ module: 'weather', method: 'geocode' });
  const mismatch = { at: '2026-01-01T00:00:00.000Z', method: 'geocode', local: '{"name":"Paris"}', remote: '{"name":"Parigi"}' };
  const panel = modulesPanelSchema.parse(
    await modulesPanel({ ...base, routing, activity: [{ module: 'weather', callsLastMinute: { shadow: 4 }, recentMismatches: [mismatch] }], registry }),
  );
  expect(panel.modules[0]).toMatchObject({ shadowMismatchRate: 0.25, recentMismatches: [mismatch] });
});
