import { Router } from 'express';
import type { Drain } from './drain';
import type { Metrics } from './metrics';
import { bounded } from './time-bound';

/** A readiness check resolves when its dependency is usable and rejects with why it is not. */
export type ReadinessCheck = () => Promise<void>;

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(check: ReadinessCheck): Promise<string | undefined> {
  try {
    await bounded(check(), CHECK_TIMEOUT_MS);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** What probes and scrapers ask: answered without a request context (requestContextExcept). */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** While `drain` is draining, /readyz answers 503 at once, whatever the checks would say. */
export function healthRouter(checks: Record<string, ReadinessCheck>, metrics: Metrics, drain?: Pick<Drain, 'draining'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (drain?.draining) {
      res.status(503).json({ status: 'not ready', reason: 'draining' });
      return;
    }
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(checks[name]!)));
    const failing: Record<string, string> = {};
    results.forEach((reason, i) => {
      if (reason !== undefined) failing[names[i]!] = reason;
    });
    const ok = Object.keys(failing).length === 0;
    res.status(ok ? 200 : 503).json(ok ? { status: 'ready', checks: names } : { status: 'not ready', failing });
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}
