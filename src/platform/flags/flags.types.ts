/**
 * Who is asking. Rollouts stick to one of these ids, so the same Slack user (or team) gets
 * the same answer on every call and from both backends.
 */
export interface FlagContext {
  userId?: string;
  teamId?: string;
}

/**
 * Which context id a percentage rollout hashes. `default` is Unleash's: the user, else the
 * team (sent to Unleash as its sessionId), else a random id per evaluation.
 */
export const STICKINESS = ['default', 'userId', 'teamId'] as const;
export type Stickiness = (typeof STICKINESS)[number];

/** A flag as the maintainer sees it: switched on or off, and for what share of callers. */
export interface FlagState {
  name: string;
  /** The on/off switch (in Unleash: the flag in our environment). */
  enabled: boolean;
  /** 0..100: the share of contexts that see the flag while it is enabled. */
  rollout: number;
  stickiness: Stickiness;
  /**
   * Unleash strategies other than a flexible rollout that also decide this flag (set in its
   * UI, e.g. userWithId); `rollout` then tells only part of the story.
   */
  otherStrategies?: string[];
}

export type FlagsChangedListener = (flags: FlagState[]) => void;

/**
 * The one way code asks for a flag. Two backends (a JSON file, Unleash) with the same
 * rollout semantics; pick one with createFlagResolver.
 */
export interface FlagResolver {
  /**
   * Synchronous and cheap (a map lookup and at most one murmurhash): safe on every call.
   * Without a context it uses the user and team of the current request (AsyncLocalStorage).
   * Unknown flags, and every flag before the first state is known, are off.
   */
  isEnabled(name: string, context?: FlagContext): boolean;
  /** Every flag known right now, sorted by name. */
  list(): FlagState[];
  /** Resolves once the first state is known, or once the fallback (all off) is in use. Never rejects. */
  ready(): Promise<void>;
  /**
   * For /readyz. Rejects while no state has ever been known (or the source refuses us);
   * after the first load a stale but known state is still usable, so an unreachable
   * Unleash or a broken file does not make Jeeves unready.
   */
  ping(): Promise<void>;
  /** Called after each change of state; returns a function that unsubscribes. */
  on(event: 'changed', listener: FlagsChangedListener): () => void;
  close(): Promise<void>;
}

export type FlagsBackend = 'file' | 'unleash';
