import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context `traceparent`: version-traceid-parentid-flags. A remote call is a new span
 * of the caller's trace: same trace id, a fresh parent id, the caller's flags.
 * https://www.w3.org/TR/trace-context/#traceparent-header
 */
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;
const SAMPLED = '01';

export interface TraceParent {
  traceId: string;
  parentId: string;
  flags: string;
}

export function parseTraceparent(header: string | undefined): TraceParent | undefined {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags] = match;
  const rest: string | undefined = match[5];
  // Version ff is forbidden; version 00 has exactly four fields (later versions may add some).
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

function randomHex(bytes: number): string {
  let hex = randomBytes(bytes).toString('hex');
  // All zeros is invalid; astronomically unlikely, but cheap to rule out.
  while (ALL_ZEROS.test(hex)) hex = randomBytes(bytes).toString('hex');
  return hex;
}

/** The traceparent for an outgoing call: a child of `incoming` when it is valid, else the root of a new trace. */
export function childTraceparent(incoming: string | undefined): string {
  const parent = parseTraceparent(incoming);
  const traceId = parent?.traceId ?? randomHex(16);
  const flags = parent?.flags ?? SAMPLED;
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}
