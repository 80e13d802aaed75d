/**
 * Compares the in-process and the remote answer the way the wire sees them: key order does
 * not matter, a key holding `undefined` is the same as a missing key, a Date equals its ISO
 * string. Returns the differences as short lines (`$.settings.units: "metric" ≠ "imperial"`),
 * at most `limit` of them; none means equal.
 */
const MAX_SHOWN = 40;

function normalise(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value short enough for a log line (values may be members' data: never the whole thing). */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function walk(path: string, a: unknown, b: unknown, out: string[], limit: number): void {
  if (out.length >= limit) return;
  const left = normalise(a);
  const right = normalise(b);
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) out.push(`${path}: ${left.length} items ≠ ${right.length} items`);
    for (let i = 0; i < Math.min(left.length, right.length); i++) walk(`${path}[${i}]`, left[i], right[i], out, limit);
    return;
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of [...keys].sort()) walk(`${path}.${key}`, left[key], right[key], out, limit);
    return;
  }
  // JSON has no -0, so 0 and -0 are equal here; NaN equals NaN.
  const same = left === right || (typeof left === 'number' && typeof right === 'number' && Number.isNaN(left) && Number.isNaN(right));
  if (!same) out.push(`${path}: ${show(left)} ≠ ${show(right)}`);
}

export function differences(local: unknown, remote: unknown, limit = 5): string[] {
  const out: string[] = [];
  walk('$', local, remote, out, limit);
  return out;
}
