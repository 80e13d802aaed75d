import type { Context } from 'unleash-client';
import type { FlagContext, Stickiness } from './flags.types';
import { inRollout } from './rollout';

/**
 * unleash-client's isEnabled is over the flags target (bench/README.md). Flags made only of
 * what Jeeves itself sets (on/off, `default`, plain flexibleRollouts on default/userId/teamId)
 * are compiled into the rollout code that a unit test proves equal to unleash-client's;
 * anything else (constraints, segments, dependencies, impression data, other strategies or
 * stickiness) is left to unleash-client, which stays the reference.
 */
export type CompiledFlag = boolean | RolloutRule[] | 'delegate';

interface RolloutRule {
  groupId: string;
  percentage: number;
  stickiness: Stickiness;
}

/** The parts of unleash-client's FeatureInterface that decide isEnabled. */
export interface UnleashFeature {
  enabled: boolean;
  impressionData?: boolean;
  dependencies?: unknown[];
  strategies?: Array<{ name: string; parameters?: Record<string, unknown>; constraints?: unknown[]; segments?: unknown[] }>;
}

const FAST_STICKINESS: readonly string[] = ['default', 'userId', 'teamId'];

/** Mirrors unleash-client's Client.isFeatureEnabled and FlexibleRolloutStrategy, for the simple cases only. */
export function compileUnleashFeature(feature: UnleashFeature): CompiledFlag {
  if (feature.impressionData || (feature.dependencies?.length ?? 0) > 0) return 'delegate';
  if (!feature.enabled) return false;
  if (!Array.isArray(feature.strategies)) return 'delegate';
  if (feature.strategies.length === 0) return true;
  const rules: RolloutRule[] = [];
  for (const s of feature.strategies) {
    if ((s.constraints?.length ?? 0) > 0 || (s.segments?.length ?? 0) > 0) return 'delegate';
    if (s.name === 'default') return true;
    if (s.name !== 'flexibleRollout') return 'delegate';
    const p = s.parameters ?? {};
    const stickiness = String(p.stickiness || 'default');
    if (!FAST_STICKINESS.includes(stickiness)) return 'delegate';
    // The same coercions as FlexibleRolloutStrategy: groupId falls back to '', rollout is Number().
    rules.push({ groupId: String(p.groupId || ''), percentage: Number(p.rollout), stickiness: stickiness as Stickiness });
  }
  return rules;
}

/** Unleash ORs a flag's strategies. */
export function evaluateRules(rules: RolloutRule[], context: FlagContext | undefined): boolean {
  for (const rule of rules) {
    if (inRollout(rule.groupId, rule.percentage, rule.stickiness, context)) return true;
  }
  return false;
}

/**
 * Jeeves' context in Unleash's terms, for what unleash-client evaluates. The team also goes in
 * as sessionId, so Unleash's `default` stickiness falls back user → team → random, as ours.
 * teamId sits at the top level, where unleash-client looks before `properties` (nested, it
 * evaluates slower). Same keys always: one object shape.
 */
export function toUnleashContext(context: FlagContext | undefined): Context {
  return { userId: context?.userId, sessionId: context?.teamId, teamId: context?.teamId };
}
