import { scrubLogLine } from '../log-redaction';

/** One shadowed call whose two answers differed, as the /admin page shows it. */
export interface ShadowMismatch {
  /** ISO time of the comparison. */
  at: string;
  method: string;
  /** Both answers, redacted: secrets censored, every string cut to a few words, the whole kept short. */
  local: string;
  remote: string;
}

/** The last few mismatches of one module, newest first; older ones fall off. */
export interface MismatchLog {
  record(method: string, local: unknown, remote: unknown): void;
  recent(): ShadowMismatch[];
}

const STRING_CHARS = 24;
const ANSWER_CHARS = 200;
export const RECENT_MISMATCHES = 10;

function cutStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.length > STRING_CHARS ? `${value.slice(0, STRING_CHARS)}…` : value;
  if (Array.isArray(value)) return value.map(cutStrings);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutStrings(v)]));
  return value;
}

/** An answer as a short line that carries no token nor a member's full text. */
export function redactAnswer(value: unknown): string {
  const text = scrubLogLine(JSON.stringify(cutStrings(value)) ?? 'undefined');
  return text.length > ANSWER_CHARS ? `${text.slice(0, ANSWER_CHARS)}…` : text;
}

export function createMismatchLog(capacity = RECENT_MISMATCHES, now: () => Date = () => new Date()): MismatchLog {
  const entries: ShadowMismatch[] = [];
  return {
    record(method, local, remote) {
      entries.unshift({ at: now().toISOString(), method, local: redactAnswer(local), remote: redactAnswer(remote) });
      if (entries.length > capacity) entries.length = capacity;
    },
    recent: () => entries.map((entry) => ({ ...entry })),
  };
}
