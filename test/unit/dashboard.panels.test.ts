import { Registry } from 'prom-client';
import { modulesPanel, modulesPanelSchema } from '../../src/modules/dashboard';
import { switchMetrics } from '../../src/platform/remote';

/** The modules panel's figures, read from the switch's own counters and histogram. */

const routing = [{ module: 'weather', routing: 'remote' as const, remoteConfigured: true, remotePercent: 40, shadowPercent: 0, breaker: 'closed' as const }];
const flags = [{ name: 'weather-remote', enabled: true, rollout: 40, stickiness: 'userId' as const }];

it('when calls were recorded, then each route shows its outcomes, error rate and bucket quantiles', async () => {
  const registry = new Registry();
  const metrics = switchMetrics(registry);
  for (let i = 0; i < 9; i++) {
    metrics.calls.inc({ module: 'weather', method: 'forecast', route: 'remote', outcome: 'ok' });
    metrics.duration.observe({ module: 'weather', method: 'forecast', route: 'remote' }, 0.004);
  }
  metrics.calls.inc({ module: 'weather', method: 'forecast', route: 'remote', outcome: 'error' });
  metrics.duration.observe({ module: 'weather', method: 'forecast', route: 'remote' }, 0.2);

  const panel = modulesPanelSchema.parse(await modulesPanel({ routing, flags, registry, flagsTarget: 'file flags.json', refreshMs: 1000 }));
  expect(panel.modules[0]).toMatchObject({ module: 'weather', placement: 'remote', rollout: 40, stickiness: 'userId', shadowMismatchRate: null, recentMismatches: [] });
  expect(panel.modules[0]!.routes).toEqual([{ route: 'remote', callsPerMinute: 10, outcomes: { ok: 9, error: 1 }, errorRate: 0.1, p50Ms: 5, p99Ms: 250 }]);
});

it('when nothing was called, then no route figures', async () => {
  const panel = await modulesPanel({ routing, flags, registry: new Registry(), flagsTarget: 'file flags.json', refreshMs: 1000 });
  expect(panel.modules[0]!.routes).toEqual([]);
});
