import CircuitBreaker from 'opossum';
import type { Logger } from '../logger';
import { classifyRemoteError } from './remote-errors';
import type { BreakerOptions, BreakerState } from './remote.types';

/** One breaker per module: the remote service fails as a whole, so its methods share one. */
export interface ModuleBreaker {
  /** Runs one remote attempt through the breaker; rejects with code EOPENBREAKER without running it while open. */
  fire<R>(attempt: () => Promise<R>): Promise<R>;
  state(): BreakerState;
  shutdown(): void;
}

/**
 * Opens when at least half of the last 10 s of calls failed, once 5 calls were seen; probes
 * again after 10 s. The timeout bounds each attempt even if the client's own timeout is longer.
 */
export const DEFAULT_BREAKER: BreakerOptions = { timeout: 3000, errorThresholdPercentage: 50, resetTimeout: 10_000, volumeThreshold: 5 };

export interface ModuleBreakerOptions {
  module: string;
  options?: BreakerOptions;
  logger: Logger;
  onStateChange: (state: BreakerState) => void;
}

type Attempt = () => Promise<unknown>;

export function createModuleBreaker({ module, options, logger, onStateChange }: ModuleBreakerOptions): ModuleBreaker {
  const settings = { ...DEFAULT_BREAKER, ...options };
  const breaker = new CircuitBreaker<[Attempt], unknown>((attempt) => attempt(), {
    ...settings,
    name: `${module}-remote`,
    // The remote's own answers (USERS.NOT_FOUND...) prove it is healthy: they must not trip it.
    errorFilter: (err: unknown) => classifyRemoteError(err) === 'application',
  });
  const state = (): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed');

  breaker.on('open', () => {
    logger.warn({ module, resetTimeoutMs: settings.resetTimeout }, `${module} remote breaker opened: calls follow the failure policy without trying the remote`);
    onStateChange('open');
  });
  breaker.on('halfOpen', () => {
    logger.info({ module }, `${module} remote breaker half-open: the next call probes the remote`);
    onStateChange('half-open');
  });
  breaker.on('close', () => {
    logger.info({ module }, `${module} remote breaker closed: the remote answers again`);
    onStateChange('closed');
  });
  onStateChange(state());

  return {
    // The breaker's action is untyped in its result (one breaker serves every method): each attempt's own R comes back.
    fire: <R>(attempt: () => Promise<R>) => breaker.fire(attempt) as Promise<R>,
    state,
    shutdown: () => breaker.shutdown(),
  };
}
