import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { RemoteCaller } from './remote-call';
import { classifyRemoteError, isBreakerOpen } from './remote-errors';
import { differences } from './shadow-compare';
import type { MismatchLog } from './shadow-mismatches';
import type { SwitchMetrics } from './switch-metrics';

type Settled = { ok: true; value: unknown; seconds: number } | { ok: false; error: unknown; seconds: number };

export interface ShadowDeps {
  module: string;
  metrics: SwitchMetrics;
  logger: Logger;
  caller: RemoteCaller;
  /** Keeps the last few mismatches, redacted, for the /admin page. */
  mismatches?: MismatchLog;
}

function settle(promise: Promise<unknown>, started: bigint): Promise<Settled> {
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  return promise.then(
    (value) => ({ ok: true as const, value, seconds: seconds() }),
    (error: unknown) => ({ ok: false as const, error, seconds: seconds() }),
  );
}

/** Errors are compared by code, the only part of them that crosses the wire. */
function comparable(side: Settled): unknown {
  if (side.ok) return side.value;
  return { error: side.error instanceof AppError ? side.error.code : 'non-AppError' };
}

function compare({ module, metrics, logger, mismatches }: ShadowDeps, method: string, local: Settled, remote: Settled): void {
  const labels = { module, method };
  metrics.shadowDuration.observe({ ...labels, route: 'local' }, local.seconds);
  metrics.shadowDuration.observe({ ...labels, route: 'remote' }, remote.seconds);
  if (!remote.ok && classifyRemoteError(remote.error) !== 'application') {
    metrics.shadowFailures.inc(labels);
    // While the breaker is open every shadow fails the same way; the breaker said so once.
    if (!isBreakerOpen(remote.error)) logger.warn({ ...labels, err: remote.error }, `shadow call to the ${module} service failed: nothing to compare`);
    return;
  }
  const diff = differences(comparable(local), comparable(remote));
  if (diff.length === 0) return;
  metrics.shadowMismatches.inc(labels);
  mismatches?.record(method, comparable(local), comparable(remote));
  logger.warn({ ...labels, diff }, `shadow mismatch in ${module}.${method}: ${diff[0]}`);
}

/**
 * Calls both sides at once and answers with the in-process result as soon as it is there. The
 * remote side runs without retries and is never awaited by the caller: its failure or slowness
 * cannot touch the answer. The comparison happens when both have settled.
 */
export function runShadow<R>(deps: ShadowDeps, method: string, local: () => Promise<R>, remote: () => Promise<R>): Promise<R> {
  const started = process.hrtime.bigint();
  const remoteSide = settle(deps.caller.call(remote, { retry: false }), started);
  const answer = local();
  void Promise.all([settle(answer, started), remoteSide])
    .then(([l, r]) => compare(deps, method, l, r))
    .catch((err: unknown) => deps.logger.error({ module: deps.module, method, err }, 'shadow comparison failed'));
  return answer;
}
