import type { FlagResolver } from '../flags';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { ServiceTokenProvider } from '../service-auth/service-token.provider';
import { createModuleBreaker, type ModuleBreaker } from './module-breaker';
import { createRemoteCaller, type RemoteCaller } from './remote-call';
import { classifyRemoteError, errorPrefix, isBreakerOpen, RemoteUnavailableError } from './remote-errors';
import type { AsyncInterface, BreakerOptions, BreakerState, MethodPolicy, ModulePolicy, Outcome, RetryOptions, Route } from './remote.types';
import { DEFAULT_RETRY } from './retry-backoff';
import { describeRouting, type RoutingRegistry } from './routing-registry';
import { createRollingCount, type RollingCount } from '../rolling-count';
import { createMismatchLog } from './shadow-mismatches';
import { runShadow } from './shadow-run';
import { BREAKER_STATE_VALUE, recordCall, switchMetrics } from './switch-metrics';
import { checkPolicy, invoke, type Method } from './switch-invoke';
import { setSpanAttributes, traced, tracingActive } from '../tracing/tracing';

export interface ModuleSwitchOptions<T extends AsyncInterface<T>> {
  /** The module's name, as in its flags (`users` → `users-remote`, `users-shadow`). */
  module: string;
  local: T;
  /** The HTTP client of the extracted service; undefined when <NAME>_SERVICE_URL is not set. */
  remote: T | undefined;
  flags: FlagResolver;
  policy: ModulePolicy<T>;
  metrics: Metrics;
  logger: Logger;
  breaker?: BreakerOptions;
  retry?: RetryOptions;
  /** The provider behind the client's remoteHeaders(): a 401 drops its token and retries once. */
  tokenProvider?: ServiceTokenProvider;
  /** Where the /admin page finds this module's routing. */
  registry?: RoutingRegistry;
  /** The clock of the last-minute counts (tests). */
  now?: () => number;
}

/** The extracted service's side of a switch: its client, its breaker, and the caller that uses both. */
interface RemoteSide<T> {
  target: T;
  breaker: ModuleBreaker;
  caller: RemoteCaller;
}

/** The mutable part of one call's record: the remote path says how it ended. */
interface CallRecord {
  outcome: Outcome;
}

/**
 * The one place that decides, per call, whether a module answers in-process or from its
 * extracted service (DESIGN rule 4). It reads `<module>-remote` and `<module>-shadow` with the
 * caller's context on every call, so a flag flip applies to the next call; a call in flight
 * finishes where it started. Returns an object with exactly the policy's methods, each routed.
 */
export function createModuleSwitch<T extends AsyncInterface<T>>(options: ModuleSwitchOptions<T>): T {
  const { module, local, remote, flags, logger } = options;
  const policy: Record<string, MethodPolicy> = options.policy;
  checkPolicy(module, policy, remote ? [local, remote] : [local]);
  const metrics = switchMetrics(options.metrics.registry);
  const remoteFlag = `${module}-remote`;
  const shadowFlag = `${module}-shadow`;

  const remoteSide = remote ? createRemoteSide(remote) : undefined;
  const lastMinute = new Map<Route, RollingCount>();
  const mismatches = createMismatchLog();
  const countCall = (route: Route) => {
    let count = lastMinute.get(route);
    if (!count) lastMinute.set(route, (count = createRollingCount(options.now ? { now: options.now } : {})));
    count.add();
  };
  if (!remoteSide) metrics.breakerState.set({ module }, BREAKER_STATE_VALUE.closed);

  function createRemoteSide(target: T): RemoteSide<T> {
    const onStateChange = (state: BreakerState) => metrics.breakerState.set({ module }, BREAKER_STATE_VALUE[state]);
    const breaker = createModuleBreaker({ module, options: options.breaker, logger, onStateChange });
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    const caller = createRemoteCaller({ breaker, retry, ...(options.tokenProvider ? { tokenProvider: options.tokenProvider } : {}) });
    return { target, breaker, caller };
  }

  /** Remote wins over shadow; writes are never shadowed, so a shadowed write is simply local. */
  function decide(kind: MethodPolicy['kind']): Route {
    if (flags.isEnabled(remoteFlag)) return 'remote';
    return kind === 'read' && flags.isEnabled(shadowFlag) ? 'shadow' : 'local';
  }

  let warnedUnconfigured = false;
  function warnUnconfigured(route: Route): void {
    if (warnedUnconfigured) return;
    warnedUnconfigured = true;
    const flag = route === 'remote' ? remoteFlag : shadowFlag;
    logger.warn({ module, flag }, `${flag} is on but ${errorPrefix(module)}_SERVICE_URL is not set: ${module} stays in-process`);
  }

  async function callRemote({ target, caller }: RemoteSide<T>, method: string, args: unknown[], record: CallRecord): Promise<unknown> {
    const { idempotent, onRemoteFailure } = policy[method];
    try {
      return await caller.call(() => invoke(target, method, args), { retry: idempotent });
    } catch (err) {
      if (classifyRemoteError(err) === 'application') throw err;
      // While open, every call fails this way; the breaker logged the opening once.
      if (!isBreakerOpen(err)) logger.warn({ module, method, err, policy: onRemoteFailure }, `${module}.${method}: the remote call failed`);
      if (onRemoteFailure === 'fallback-local') {
        record.outcome = 'fallback';
        return invoke(local, method, args);
      }
      record.outcome = isBreakerOpen(err) ? 'rejected' : 'error';
      throw new RemoteUnavailableError(module, err);
    }
  }

  /** With tracing on, each call is a span of its own, saying the route it took and how it ended. */
  function route(method: string, args: unknown[]): Promise<unknown> {
    if (!tracingActive()) return routed(method, args);
    return traced(`${module}.${method}`, { attributes: { 'jeeves.module': module, 'jeeves.method': method } }, () => routed(method, args));
  }

  async function routed(method: string, args: unknown[]): Promise<unknown> {
    const started = process.hrtime.bigint();
    const decided = decide(policy[method].kind);
    if (tracingActive()) setSpanAttributes({ 'jeeves.route': decided });
    const record: CallRecord = { outcome: 'ok' };
    try {
      if (decided === 'local') return await invoke(local, method, args);
      if (!remoteSide) {
        warnUnconfigured(decided);
        record.outcome = 'remote_unconfigured';
        return await invoke(local, method, args);
      }
      if (decided === 'shadow') {
        const { target, caller } = remoteSide;
        return await runShadow({ module, metrics, logger, caller, mismatches }, method, () => invoke(local, method, args), () => invoke(target, method, args));
      }
      return await callRemote(remoteSide, method, args, record);
    } catch (err) {
      // The module's own refusal (not found, invalid input) is an answer, not a failure of the route.
      if (record.outcome === 'ok') record.outcome = classifyRemoteError(err) === 'application' ? 'refused' : 'error';
      throw err;
    } finally {
      if (tracingActive()) setSpanAttributes({ 'jeeves.outcome': record.outcome });
      recordCall(metrics, { module, method, route: decided }, record.outcome, Number(process.hrtime.bigint() - started) / 1e9);
      countCall(decided);
    }
  }

  options.registry?.register({
    module,
    routing: () => describeRouting(module, flags, remoteSide !== undefined, remoteSide?.breaker.state() ?? 'closed'),
    activity: () => ({
      module,
      callsLastMinute: Object.fromEntries([...lastMinute].map(([route, count]) => [route, count.total()]).filter(([, n]) => n !== 0)),
      recentMismatches: mismatches.recent(),
    }),
    close: () => remoteSide?.breaker.shutdown(),
  });

  const switched: Record<string, Method> = {};
  for (const method of Object.keys(policy)) switched[method] = (...args) => route(method, args);
  // Safe: built from the policy, whose keys the compiler proved are exactly T's methods.
  return switched as unknown as T;
}
