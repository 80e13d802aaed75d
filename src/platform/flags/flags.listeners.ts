import type { Logger } from '../logger';
import type { FlagsChangedListener, FlagState } from './flags.types';

/** The 'changed' subscribers of a resolver. A throwing listener is logged, never breaks a reload. */
export interface FlagListeners {
  add(listener: FlagsChangedListener): () => void;
  emit(flags: FlagState[]): void;
}

export function createFlagListeners(logger: Pick<Logger, 'error'>): FlagListeners {
  const listeners = new Set<FlagsChangedListener>();
  return {
    add(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(flags) {
      for (const listener of listeners) {
        try {
          listener(flags);
        } catch (err) {
          logger.error({ err }, 'a flags "changed" listener threw');
        }
      }
    },
  };
}

/** One line a maintainer can read: "users-remote=off weather-remote=on@50%/userId". */
export function describeFlags(flags: FlagState[]): string {
  if (flags.length === 0) return '(none)';
  return flags
    .map((f) => {
      if (!f.enabled) return `${f.name}=off`;
      const rollout = f.rollout === 100 ? '' : `@${f.rollout}%`;
      const stickiness = f.rollout === 100 || f.stickiness === 'default' ? '' : `/${f.stickiness}`;
      return `${f.name}=on${rollout}${stickiness}`;
    })
    .join(' ');
}

/** Compares two sorted lists of flags; used to emit 'changed' only on a real change. */
export function sameFlags(a: FlagState[], b: FlagState[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
