import { STICKINESS, type FlagState, type Stickiness } from './flags.types';

/** What both Unleash APIs (client and admin) say about one strategy of a flag. */
export interface UnleashStrategy {
  id?: string;
  name: string;
  parameters?: Record<string, unknown>;
  constraints?: unknown[];
  segments?: unknown[];
  disabled?: boolean | null;
}

function asStickiness(value: unknown): Stickiness | undefined {
  const s = value === undefined || value === '' ? 'default' : String(value);
  return (STICKINESS as readonly string[]).includes(s) ? (s as Stickiness) : undefined;
}

function isPlainRollout(strategy: UnleashStrategy): boolean {
  return (
    strategy.name === 'flexibleRollout' &&
    (strategy.constraints?.length ?? 0) === 0 &&
    (strategy.segments?.length ?? 0) === 0 &&
    asStickiness(strategy.parameters?.stickiness) !== undefined
  );
}

/**
 * Describes an Unleash flag in the file's terms. Unleash ORs a flag's strategies: no strategy
 * (or a `default` one) means everyone; plain flexible rollouts give a percentage; anything
 * else (constraints, other strategies, other stickiness) is listed in otherStrategies.
 */
export function summarizeUnleashFlag(name: string, enabled: boolean, strategies: UnleashStrategy[]): FlagState {
  const active = strategies.filter((s) => !s.disabled);
  const others = active
    .filter((s) => s.name !== 'default' && !isPlainRollout(s))
    .map((s) => (s.name === 'flexibleRollout' ? 'flexibleRollout (with constraints or other stickiness)' : s.name));
  const state: FlagState = { name, enabled, rollout: 0, stickiness: 'default' };
  if (active.length === 0 || active.some((s) => s.name === 'default')) {
    state.rollout = 100;
  } else {
    for (const s of active.filter(isPlainRollout)) {
      const rollout = Math.max(0, Math.min(100, Number(s.parameters?.rollout ?? 0) || 0));
      if (rollout >= state.rollout) {
        state.rollout = rollout;
        state.stickiness = asStickiness(s.parameters?.stickiness) ?? 'default';
      }
    }
  }
  if (others.length > 0) state.otherStrategies = others;
  return state;
}
