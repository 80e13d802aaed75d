/**
 * Events of the last `windowMs`, counted in slots of `slotMs` (a ring of counters, reused as
 * time moves on): what "per minute" figures read, at a slot's precision and in constant memory.
 */
export interface RollingCount {
  add(n?: number): void;
  /** Events in the window ending now. */
  total(): number;
}

export interface RollingCountOptions {
  windowMs?: number;
  slotMs?: number;
  now?: () => number;
}

export const MINUTE_MS = 60_000;

export function createRollingCount({ windowMs = MINUTE_MS, slotMs = 1000, now = Date.now }: RollingCountOptions = {}): RollingCount {
  const size = Math.max(1, Math.ceil(windowMs / slotMs));
  const slots = new Array<number>(size).fill(-1);
  const counts = new Array<number>(size).fill(0);
  return {
    add(n = 1) {
      const slot = Math.floor(now() / slotMs);
      const i = slot % size;
      if (slots[i] !== slot) {
        slots[i] = slot;
        counts[i] = 0;
      }
      counts[i]! += n;
    },
    total() {
      const oldest = Math.floor(now() / slotMs) - size;
      let sum = 0;
      for (let i = 0; i < size; i++) if (slots[i]! > oldest) sum += counts[i]!;
      return sum;
    },
  };
}
