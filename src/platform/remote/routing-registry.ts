import type { FlagResolver } from '../flags';
import type { BreakerState, ModuleActivity, ModuleRouting } from './remote.types';

/** What a switch tells the registry about itself. */
export interface SwitchedModule {
  module: string;
  routing(): ModuleRouting;
  activity(): ModuleActivity;
  close(): void;
}

/**
 * Every switched module of a process, for the /admin page (`routingStatus()`) and for a clean
 * shutdown (`close()` stops the breakers' timers).
 */
export interface RoutingRegistry {
  register(entry: SwitchedModule): void;
  routingStatus(): ModuleRouting[];
  /** Each module's calls of the last minute and recent shadow mismatches, as this process saw them. */
  activity(): ModuleActivity[];
  close(): void;
}

export function createRoutingRegistry(): RoutingRegistry {
  const entries = new Map<string, SwitchedModule>();
  return {
    register(entry) {
      // A module is switched in one place only; a second switch would split its breaker and metrics.
      if (entries.has(entry.module)) throw new Error(`module "${entry.module}" is already switched`);
      entries.set(entry.module, entry);
    },
    routingStatus: () => [...entries.values()].map((entry) => entry.routing()).sort((a, b) => a.module.localeCompare(b.module)),
    activity: () => [...entries.values()].map((entry) => entry.activity()).sort((a, b) => a.module.localeCompare(b.module)),
    close: () => entries.forEach((entry) => entry.close()),
  };
}

/** The share of callers (0..100) a flag selects right now; unknown or switched-off flags select none. */
function percentOf(flags: FlagResolver, name: string): number {
  const state = flags.list().find((flag) => flag.name === name);
  return state?.enabled ? state.rollout : 0;
}

export function describeRouting(module: string, flags: FlagResolver, remoteConfigured: boolean, breaker: BreakerState): ModuleRouting {
  const remotePercent = percentOf(flags, `${module}-remote`);
  const shadowPercent = percentOf(flags, `${module}-shadow`);
  const routing = !remoteConfigured ? 'in-process' : remotePercent > 0 ? 'remote' : shadowPercent > 0 ? 'shadow' : 'in-process';
  return { module, routing, remoteConfigured, remotePercent, shadowPercent, breaker };
}
