import { x86 } from 'murmurhash3js';
import type { FlagContext, Stickiness } from './flags.types';

/**
 * Unleash's flexibleRollout, reproduced so the file backend splits callers exactly as Unleash
 * would: murmurhash3 (x86, 32 bit, seed 0) of `groupId:stickinessId`, mod 100, plus 1.
 * The group id is the flag name (Unleash's default). A unit test compares with unleash-client.
 */
const STRATEGY_SEED = 0;

export function normalizedValue(stickinessId: string, groupId: string): number {
  return (x86.hash32(`${groupId}:${stickinessId}`, STRATEGY_SEED) % 100) + 1;
}

/** Unleash's random stickiness id: a fresh one per evaluation, hashed like any other. */
function randomId(): string {
  return `${Math.round(Math.random() * 10000) + 1}`;
}

/**
 * The id a rollout hashes, or undefined when the chosen one is missing (Unleash then says
 * no, whatever the percentage). Empty strings count as missing, as in Unleash.
 */
export function stickinessId(stickiness: Stickiness, context: FlagContext | undefined): string | undefined {
  switch (stickiness) {
    case 'userId':
      return context?.userId || undefined;
    case 'teamId':
      return context?.teamId || undefined;
    default:
      return context?.userId || context?.teamId || randomId();
  }
}

/** Whether a context falls inside a rollout of `percentage` (0..100) of flag `groupId`. */
export function inRollout(
  groupId: string,
  percentage: number,
  stickiness: Stickiness,
  context: FlagContext | undefined,
): boolean {
  if (percentage <= 0) return false;
  // The default stickiness always finds an id, and every normalized value is <= 100.
  if (percentage >= 100 && stickiness === 'default') return true;
  const id = stickinessId(stickiness, context);
  if (id === undefined) return false;
  if (percentage >= 100) return true;
  return normalizedValue(id, groupId) <= percentage;
}
