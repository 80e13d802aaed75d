import { currentContext } from '../context';
import { createFlagListeners } from './flags.listeners';
import type { FlagContext, FlagResolver, FlagState, Stickiness } from './flags.types';
import { inRollout } from './rollout';

export type FakeFlagSetting = boolean | { enabled?: boolean; rollout: number; stickiness?: Stickiness };

/** An in-memory FlagResolver for unit tests, with the same rollout semantics as the real ones. */
export interface FakeFlagResolver extends FlagResolver {
  set(name: string, setting: FakeFlagSetting): void;
  /** How often isEnabled was asked about a flag: lets a test prove the flag was consulted. */
  evaluations(name: string): number;
}

function toState(name: string, setting: FakeFlagSetting): FlagState {
  if (typeof setting === 'boolean') return { name, enabled: setting, rollout: 100, stickiness: 'default' };
  return { name, enabled: setting.enabled ?? true, rollout: setting.rollout, stickiness: setting.stickiness ?? 'default' };
}

export function createFakeFlagResolver(initial: Record<string, FakeFlagSetting> = {}): FakeFlagResolver {
  const flags = new Map<string, FlagState>();
  const counts = new Map<string, number>();
  const listeners = createFlagListeners({ error: () => undefined });
  const list = () => [...flags.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const [name, setting] of Object.entries(initial)) flags.set(name, toState(name, setting));

  return {
    isEnabled(name: string, context?: FlagContext) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      const flag = flags.get(name);
      return flag !== undefined && flag.enabled && inRollout(name, flag.rollout, flag.stickiness, context ?? currentContext());
    },
    list,
    ready: async () => undefined,
    ping: async () => undefined,
    on: (_event, listener) => listeners.add(listener),
    close: async () => undefined,
    set(name, setting) {
      flags.set(name, toState(name, setting));
      listeners.emit(list());
    },
    evaluations: (name) => counts.get(name) ?? 0,
  };
}
