import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Unleash, UnleashEvents } from 'unleash-client';
import { currentContext } from '../context';
import type { Logger } from '../logger';
import { createFlagListeners, describeFlags, sameFlags } from './flags.listeners';
import { noFlagMetrics, type FlagMetrics } from './flags.metrics';
import type { FlagContext, FlagResolver, FlagState } from './flags.types';
import { compileUnleashFeature, evaluateRules, toUnleashContext, type CompiledFlag } from './unleash-compile';
import { createUnleashStatus, messageOf } from './unleash-status';
import { summarizeUnleashFlag } from './unleash-summary';
import { unleashApiUrl } from './unleash-url';

export interface UnleashFlagsOptions {
  url: string;
  /** A backend (client) token; it also decides the Unleash environment. */
  apiToken: string;
  refreshMs: number;
  /** unleash-client keeps its backup of the last flags here, read at start-up when Unleash is down. */
  dataDir: string;
  logger: Logger;
  metrics?: FlagMetrics;
  appName?: string;
  /** ready() resolves at the latest after this long, on the backup or on "all off". */
  readyTimeoutMs?: number;
  /** Whether to send usage counts to Unleash (its UI shows them); tests turn it off. */
  sendUsageMetrics?: boolean;
  /**
   * Per-request timeout of unleash-client (default 10 s). It also bounds its retries (two,
   * 1 s then up to this long apart), so it sets how soon an outage is noticed and logged.
   * At least 1000: its retry library refuses a maximum below its 1 s minimum.
   */
  requestTimeoutMs?: number;
}

const DEFAULT_READY_TIMEOUT_MS = 5000;

/**
 * Flags from Unleash through unleash-client: it polls, keeps the backup file and evaluates
 * anything unusual; flags made of on/off and plain rollouts are evaluated by the compiled
 * equivalent (unleash-compile.ts), to stay within the flags target (bench/README.md).
 */
export function createUnleashFlagResolver(options: UnleashFlagsOptions): FlagResolver {
  const logger = options.logger.child({ flags: 'unleash', url: options.url });
  const metrics = options.metrics ?? noFlagMetrics;
  const listeners = createFlagListeners(logger);
  const backupPath = resolve(options.dataDir);
  try {
    mkdirSync(backupPath, { recursive: true });
  } catch (err) {
    logger.warn({ err, backupPath }, 'cannot create the flags backup directory: no backup if Unleash is down at start-up');
  }

  const client = new Unleash({
    appName: options.appName ?? 'jeeves',
    url: unleashApiUrl(options.url),
    refreshInterval: options.refreshMs,
    customHeaders: { Authorization: options.apiToken },
    backupPath,
    disableMetrics: options.sendUsageMetrics === false,
    disableAutoStart: true,
    skipInstanceCountWarning: true,
    timeout: options.requestTimeoutMs === undefined ? undefined : Math.max(1000, options.requestTimeoutMs),
  });

  /** unleash-client has flags (from Unleash or its backup) and evaluates them. */
  let hasState = false;
  let statesKnown = false;
  let closed = false;
  const status = createUnleashStatus(logger);
  let states: FlagState[] = [];
  let compiled = new Map<string, CompiledFlag>();
  const countUsage = options.sendUsageMetrics !== false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((res) => {
    markReady = res;
  });
  const readyTimer = setTimeout(() => markReady(), options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  readyTimer.unref();

  const refreshStates = (why: string) => {
    const features = client.getFeatureToggleDefinitions();
    // Rebuilt on every change: details the summary leaves out (constraints...) may have changed.
    compiled = new Map(features.map((f) => [f.name, compileUnleashFeature(f)]));
    const next = features
      .map((f) => summarizeUnleashFlag(f.name, f.enabled, f.strategies ?? []))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (statesKnown && sameFlags(states, next)) return;
    statesKnown = true;
    states = next;
    logger.info({ flags: describeFlags(next) }, why);
    listeners.emit(next);
  };

  client.on(UnleashEvents.Ready, () => {
    hasState = true;
    refreshStates('flags loaded');
  });
  client.on(UnleashEvents.Changed, () => {
    status.reachable();
    refreshStates('flags changed');
  });
  client.on(UnleashEvents.Unchanged, () => status.reachable());
  client.on(UnleashEvents.Synchronized, () => markReady());
  client.on(UnleashEvents.Warn, (msg: unknown) => {
    // Start-up with no backup file yet is normal, not worth a warning.
    if ((msg as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return;
    status.trouble(messageOf(msg), hasState);
  });
  client.on(UnleashEvents.Error, (err: unknown) => {
    status.trouble(messageOf(err), hasState);
    // Refused: no answer will come, so do not keep ready() waiting.
    if (status.authRefused) markReady();
  });
  // start() only rejects on a programming error; fetch failures arrive as events.
  client.start().catch((err: unknown) => status.trouble(messageOf(err), hasState));

  return {
    isEnabled(name: string, context?: FlagContext): boolean {
      // Before any state is known: off, without unleash-client's per-call warning. Unknown: off.
      const flag = hasState ? compiled.get(name) : undefined;
      let result = false;
      if (flag === 'delegate') {
        result = client.isEnabled(name, toUnleashContext(context ?? currentContext()), false);
      } else if (flag !== undefined) {
        result = typeof flag === 'boolean' ? flag : evaluateRules(flag, context ?? currentContext());
        // unleash-client counts the calls it evaluates; these it did not see.
        if (countUsage) client.count(name, result);
      }
      metrics.count(name, result);
      return result;
    },
    list: () => states.slice(),
    ready: () => ready,
    async ping() {
      if (closed) throw new Error('flags resolver closed');
      if (status.authRefused) throw new Error('Unleash refused UNLEASH_API_TOKEN (401/403): flags are frozen');
      if (!hasState) {
        throw new Error(`no flags known yet: Unleash not answering (${status.failing ?? 'no answer yet'}) and no backup`);
      }
    },
    on: (_event, listener) => listeners.add(listener),
    async close() {
      closed = true;
      clearTimeout(readyTimer);
      markReady();
      // destroy() removes every listener of unleash-client's repository, yet a fetch still in
      // flight then emits 'error' on it: with no listener Node throws and the process dies
      // (the race of Unleash/unleash-node-sdk#672). A no-op listener absorbs that last error.
      const repository = (client as unknown as { repository?: EventEmitter }).repository;
      client.destroy();
      repository?.on('error', () => undefined);
    },
  };
}
