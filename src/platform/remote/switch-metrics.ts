import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BreakerState, Outcome, Route } from './remote.types';

/**
 * The switch's metrics. Each call to a switched module counts once in calls_total, with the
 * route the flags chose (local, remote, shadow) and what the caller got (see Outcome); the
 * shadow's second opinion has its own series (duration per side, mismatches, failures).
 */
export interface SwitchMetrics {
  calls: Counter<'module' | 'method' | 'route' | 'outcome'>;
  duration: Histogram<'module' | 'method' | 'route'>;
  breakerState: Gauge<'module'>;
  shadowMismatches: Counter<'module' | 'method'>;
  shadowFailures: Counter<'module' | 'method'>;
  shadowDuration: Histogram<'module' | 'method' | 'route'>;
}

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

function create(registry: Registry): SwitchMetrics {
  const registers = [registry];
  return {
    calls: new Counter({
      name: 'jeeves_module_calls_total',
      help: 'Calls to switched modules, by module, method, route chosen by the flags (local|remote|shadow) and outcome (ok|refused|error|fallback|rejected|remote_unconfigured)',
      labelNames: ['module', 'method', 'route', 'outcome'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'jeeves_module_call_duration_seconds',
      help: 'Time until a switched module call answered its caller, by module, method and route',
      labelNames: ['module', 'method', 'route'] as const,
      buckets: BUCKETS,
      registers,
    }),
    breakerState: new Gauge({
      name: 'jeeves_module_breaker_state',
      help: "State of a module's remote circuit breaker: 0 closed, 1 half-open, 2 open",
      labelNames: ['module'] as const,
      registers,
    }),
    shadowMismatches: new Counter({
      name: 'jeeves_module_shadow_mismatches_total',
      help: 'Shadowed calls whose remote answer differed from the in-process one',
      labelNames: ['module', 'method'] as const,
      registers,
    }),
    shadowFailures: new Counter({
      name: 'jeeves_module_shadow_failures_total',
      help: 'Shadowed calls whose remote side failed (unreachable, timed out, breaker open): nothing to compare',
      labelNames: ['module', 'method'] as const,
      registers,
    }),
    shadowDuration: new Histogram({
      name: 'jeeves_module_shadow_duration_seconds',
      help: 'Latency of each side of a shadowed call (route local or remote), by module and method',
      labelNames: ['module', 'method', 'route'] as const,
      buckets: BUCKETS,
      registers,
    }),
  };
}

// Every switched module of a process shares one registry, and prom-client refuses a name twice.
const byRegistry = new WeakMap<Registry, SwitchMetrics>();

export function switchMetrics(registry: Registry): SwitchMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = create(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}

/** The timing and counting of one call, as the switch records it. */
export function recordCall(metrics: SwitchMetrics, labels: { module: string; method: string; route: Route }, outcome: Outcome, seconds: number): void {
  metrics.calls.inc({ ...labels, outcome });
  metrics.duration.observe(labels, seconds);
}
