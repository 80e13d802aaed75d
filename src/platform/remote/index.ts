/**
 * The switch (DESIGN rule 4), module-agnostic: per call, a module answers in-process or from
 * its extracted service, as its `NAME-remote` / `NAME-shadow` flags say for the caller. Remote
 * calls carry a service JWT, the request id and a traceparent, retry only when idempotent, sit
 * behind one circuit breaker per module, and fail over as each method's policy declares.
 */
export { createModuleSwitch, type ModuleSwitchOptions } from './module-switch';
export { remoteHeaders, type RemoteHeadersOptions } from './remote-headers';
export { createRoutingRegistry, describeRouting, type RoutingRegistry, type SwitchedModule } from './routing-registry';
export { createMismatchLog, redactAnswer, RECENT_MISMATCHES, type MismatchLog, type ShadowMismatch } from './shadow-mismatches';
export { RemoteUnavailableError, classifyRemoteError, type RemoteErrorKind } from './remote-errors';
export { childTraceparent, parseTraceparent, type TraceParent } from './traceparent';
export { differences } from './shadow-compare';
export { DEFAULT_BREAKER } from './module-breaker';
export { DEFAULT_RETRY, backoffDelay } from './retry-backoff';
export { switchMetrics, type SwitchMetrics } from './switch-metrics';
export type {
  AsyncInterface,
  BreakerOptions,
  BreakerState,
  MethodKind,
  MethodPolicy,
  ModuleActivity,
  ModulePolicy,
  ModuleRouting,
  Outcome,
  RemoteFailurePolicy,
  RetryOptions,
  Route,
} from './remote.types';
