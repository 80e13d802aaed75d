/** Cancels a timer set by a Clock; calling it twice, or after the timer fired, is harmless. */
export type CancelTimer = () => void;

/** Time as the in-process queue sees it: injectable so tests move it instead of sleeping. */
export interface Clock {
  now(): number;
  /** Runs fn once, delayMs from now (any length: longer than Node's 24.8-day timer limit too). */
  schedule(fn: () => void, delayMs: number): CancelTimer;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(fn, delayMs) {
    const due = Date.now() + Math.max(0, delayMs);
    let timer: NodeJS.Timeout;
    // Node fires a longer timeout at once, so long waits are chained in legal steps.
    const arm = () => {
      const left = due - Date.now();
      timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(fn, Math.max(0, left));
    };
    arm();
    return () => clearTimeout(timer);
  },
};

export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers in order, each at its own instant. */
  advance(ms: number): Promise<void>;
  /** Timers not yet fired. */
  pending(): number;
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets the callbacks a fired timer started (promises, setImmediate) run before the next one. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createFakeClock(startMs: number = Date.UTC(2025, 0, 1)): FakeClock {
  let now = startMs;
  let seq = 0;
  const timers = new Set<FakeTimer>();
  const nextDue = (limit: number): FakeTimer | undefined => {
    let first: FakeTimer | undefined;
    for (const t of timers) {
      if (t.at <= limit && (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq))) first = t;
    }
    return first;
  };
  return {
    now: () => now,
    schedule(fn, delayMs) {
      const timer = { at: now + Math.max(0, delayMs), seq: seq++, fn };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (let t = nextDue(target); t; t = nextDue(target)) {
        timers.delete(t);
        now = Math.max(now, t.at);
        t.fn();
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => timers.size,
  };
}
