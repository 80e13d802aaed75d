import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { FlagState } from '../../platform/flags';
import { bounded } from '../../platform/time-bound';
import { QueuesUnavailableError } from './dashboard.errors';
import type { ModuleActivity, ModuleRouting } from '../../platform/remote';
import type { ModuleRow, ModulesPanel, Placement, ProcessFigure, QueueRow, QueuesPanel, RouteFigures } from './dashboard.types';

export const processName = (): string => `${hostname()}:${process.pid}`;

interface MetricValue {
  labels: Record<string, string | number | undefined>;
  value: number;
  metricName?: string;
}

async function valuesOf(registry: Registry, name: string): Promise<MetricValue[]> {
  const metric = registry.getSingleMetric(name);
  return metric ? ((await metric.get()).values as MetricValue[]) : [];
}

/** The bucket bound (ms) under which a share `q` of the observations fell; null with none. */
function quantileMs(buckets: { le: number; count: number }[], q: number): number | null {
  const total = buckets.find((b) => b.le === Infinity)?.count ?? 0;
  if (total === 0) return null;
  const bound = buckets.filter((b) => b.le !== Infinity).sort((a, b) => a.le - b.le).find((b) => b.count >= q * total);
  return bound ? bound.le * 1000 : null;
}

type Route = RouteFigures['route'];

async function routeFigures(registry: Registry, module: string, lastMinute: ModuleActivity['callsLastMinute']): Promise<RouteFigures[]> {
  const calls = (await valuesOf(registry, 'jeeves_module_calls_total')).filter((v) => v.labels.module === module);
  const buckets = (await valuesOf(registry, 'jeeves_module_call_duration_seconds')).filter((v) => v.labels.module === module && v.metricName?.endsWith('_bucket'));
  const routes = [...new Set([...calls.map((v) => String(v.labels.route)), ...Object.keys(lastMinute)])].sort() as Route[];
  return routes.map((route) => {
    const outcomes: Record<string, number> = {};
    for (const v of calls.filter((c) => c.labels.route === route)) outcomes[String(v.labels.outcome)] = (outcomes[String(v.labels.outcome)] ?? 0) + v.value;
    const count = Object.values(outcomes).reduce((a, b) => a + b, 0);
    const byLe = new Map<number, number>();
    for (const b of buckets.filter((v) => v.labels.route === route)) {
      const le = b.labels.le === '+Inf' ? Infinity : Number(b.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + b.value);
    }
    const sums = [...byLe].map(([le, n]) => ({ le, count: n }));
    const failed = (outcomes.error ?? 0) + (outcomes.rejected ?? 0);
    return { route, callsPerMinute: lastMinute[route] ?? 0, totalCalls: count, outcomes, errorRate: count ? failed / count : null, p50Ms: quantileMs(sums, 0.5), p99Ms: quantileMs(sums, 0.99) };
  });
}

async function counterTotal(registry: Registry, name: string, module: string): Promise<number> {
  return (await valuesOf(registry, name)).filter((v) => v.labels.module === module).reduce((a, v) => a + v.value, 0);
}

/** The switch's routing (describeRouting's, from the flags) as the placement form names it. */
const PLACEMENT: Record<ModuleRouting['routing'], Placement> = { 'in-process': 'local', shadow: 'shadow', remote: 'remote' };

/** Counted or held by this process's switch (each process has its own breaker and counters). */
const PROCESS_FIGURES: ProcessFigure[] = ['routes', 'shadowMismatchRate', 'recentMismatches', 'breaker'];

export interface ModulesPanelInput {
  routing: ModuleRouting[];
  /** The switches' last minute and recent mismatches (the routing registry's activity()). */
  activity: ModuleActivity[];
  flags: FlagState[];
  registry: Registry;
  flagsTarget: string;
  refreshMs: number;
}

export async function modulesPanel({ routing, activity, flags, registry, flagsTarget, refreshMs }: ModulesPanelInput): Promise<ModulesPanel> {
  const modules = await Promise.all(
    routing.map(async (r): Promise<ModuleRow> => {
      const placement = PLACEMENT[r.routing];
      const deciding = flags.find((f) => f.name === `${r.module}-${placement === 'shadow' ? 'shadow' : 'remote'}`);
      const seen = activity.find((a) => a.module === r.module);
      const routes = await routeFigures(registry, r.module, seen?.callsLastMinute ?? {});
      const shadowed = routes.find((x) => x.route === 'shadow')?.totalCalls ?? 0;
      const mismatches = await counterTotal(registry, 'jeeves_module_shadow_mismatches_total', r.module);
      return {
        module: r.module,
        placement,
        routing: r.routing,
        rollout: placement === 'shadow' ? r.shadowPercent : r.remotePercent,
        remotePercent: r.remotePercent,
        shadowPercent: r.shadowPercent,
        stickiness: deciding?.stickiness ?? 'default',
        remoteConfigured: r.remoteConfigured,
        breaker: r.breaker,
        routes,
        shadowMismatchRate: shadowed ? mismatches / shadowed : null,
        recentMismatches: seen?.recentMismatches ?? [],
      };
    }),
  );
  return { flagsTarget, refreshMs, process: processName(), processFigures: PROCESS_FIGURES, modules };
}

export interface QueueCounter {
  /** BullMQ's queues are the deployment's; the in-process queue is this process's alone. */
  readonly backend: 'bullmq' | 'memory';
  counts(queue: string): Promise<{ waiting: number; active: number; delayed: number; failed: number }>;
  activity(queue: string): Promise<{ completedLastMinute: number; oldestWaitingSince: Date | null }>;
}

export interface QueuesPanelOptions {
  /** How long the backend may take for all queues before the panel gives up (503). */
  timeoutMs?: number;
  now?: () => number;
}

export const QUEUES_PANEL_TIMEOUT_MS = 5000;

async function queueRow(queue: QueueCounter, name: string, now: () => number): Promise<QueueRow> {
  const [c, a] = await Promise.all([queue.counts(name), queue.activity(name)]);
  const since = a.oldestWaitingSince;
  return {
    queue: name,
    waiting: c.waiting,
    active: c.active,
    delayed: c.delayed,
    failed: c.failed,
    jobsPerMinute: a.completedLastMinute,
    oldestWaitingSeconds: since ? Math.max(0, Math.round((now() - since.getTime()) / 1000)) : null,
  };
}

/** Every queue's row; a backend that fails or hangs is a QueuesUnavailableError (503), never a 500 or a wait. */
export async function queuesPanel(queue: QueueCounter, names: readonly string[], { timeoutMs = QUEUES_PANEL_TIMEOUT_MS, now = Date.now }: QueuesPanelOptions = {}): Promise<QueuesPanel> {
  try {
    const queues = await bounded(Promise.all(names.map((name) => queueRow(queue, name, now))), timeoutMs, `no answer within ${timeoutMs} ms`);
    return { process: processName(), scope: queue.backend === 'bullmq' ? 'deployment' : 'process', queues };
  } catch (err) {
    throw new QueuesUnavailableError(err);
  }
}
