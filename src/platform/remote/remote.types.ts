import type CircuitBreaker from 'opossum';
import type { ShadowMismatch } from './shadow-mismatches';

/** Reads may be shadowed (called on both sides); writes never are, so a shadow has no side effects. */
export type MethodKind = 'read' | 'write';

/** What the caller gets when the remote side cannot answer: the in-process answer, or a clear 503. */
export type RemoteFailurePolicy = 'fallback-local' | 'fail';

export interface MethodPolicy {
  kind: MethodKind;
  /** Safe to send twice. Only idempotent methods are retried after a retryable failure. */
  idempotent: boolean;
  /**
   * Applied when the remote call fails (unreachable, timed out, 5xx, refused credentials) or
   * the breaker is open; never to the remote's own application errors (USERS.NOT_FOUND...).
   * A non-idempotent write whose answer was lost may already have happened remotely: declare
   * 'fail' unless doing it again in-process is harmless.
   */
  onRemoteFailure: RemoteFailurePolicy;
}

/** An interface whose every member is an async method: what can answer in-process or over HTTP alike. */
export type AsyncInterface<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/** One policy per method of T: the compiler refuses a missing method and an unknown one. */
export type ModulePolicy<T> = { readonly [K in keyof T]-?: MethodPolicy };

/** The opossum options a module may tune; the rest stay opossum's defaults. */
export type BreakerOptions = Pick<
  CircuitBreaker.Options,
  'timeout' | 'errorThresholdPercentage' | 'resetTimeout' | 'volumeThreshold' | 'rollingCountTimeout'
>;

export interface RetryOptions {
  /** Attempts in all, the first included (1 = no retry). */
  attempts?: number;
  /** The first backoff's ceiling; each retry doubles it, with full jitter. */
  baseMs?: number;
  /** No backoff waits longer than this. */
  maxMs?: number;
}

/** What the flags decided for a call. */
export type Route = 'local' | 'remote' | 'shadow';

/**
 * What the caller got: an answer (ok), an error (error: the service's own, or REMOTE_UNAVAILABLE
 * after a failure under 'fail'), the in-process answer after a remote failure (fallback), a 503
 * without trying because the breaker is open (rejected), or the in-process answer because no
 * remote is configured although a flag asks for one (remote_unconfigured).
 */
/** `refused`: the module answered with an application error (not found, invalid input). */
export type Outcome = 'ok' | 'refused' | 'error' | 'fallback' | 'rejected' | 'remote_unconfigured';

export type BreakerState = 'closed' | 'half-open' | 'open';

/** One module's routing as the /admin page shows it. */
export interface ModuleRouting {
  module: string;
  /** Where most calls go right now; `remotePercent`/`shadowPercent` tell a partial rollout. */
  routing: 'in-process' | 'remote' | 'shadow';
  /** Whether <NAME>_SERVICE_URL is set; without it every call is in-process. */
  remoteConfigured: boolean;
  /** Share of callers (0..100) the `-remote` flag sends to the remote service. */
  remotePercent: number;
  /** Share of callers (0..100) the `-shadow` flag shadows (among those not sent remote). */
  shadowPercent: number;
  breaker: BreakerState;
}

/** What one module's switch saw lately, in this process only. */
export interface ModuleActivity {
  module: string;
  /** Calls of the last minute by route the flags chose; a route with none is absent. */
  callsLastMinute: Partial<Record<Route, number>>;
  /** The last few shadow mismatches, newest first, answers redacted. */
  recentMismatches: ShadowMismatch[];
}
