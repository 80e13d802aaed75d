import type { RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process (not prom-client's global), so tests can build many apps. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics({ defaults = true }: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'jeeves_http_requests_total',
    help: 'HTTP requests served, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'jeeves_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration };
}

interface Series {
  count: { inc(): void };
  duration: { observe(seconds: number): void };
}

const STARTED = Symbol('jeeves.http.started');
type Timed = Response & { [STARTED]?: number };

/**
 * Counts and times each request by its route pattern (never the raw path: bounded labels).
 * Runs on every request of the ingest hot path, so nothing is allocated per request beyond
 * the start time: one shared 'finish' listener, and the labelled children built once per
 * method/route/status and kept (the set is bounded by the routes).
 */
export function httpMetricsMiddleware(metrics: Metrics): RequestHandler {
  const series = new Map<string, Series>();
  function seriesFor(method: string, route: string, status: number): Series {
    const key = `${method} ${status} ${route}`;
    let found = series.get(key);
    if (!found) {
      const labels = { method, route, status: String(status) };
      found = { count: metrics.httpRequests.labels(labels), duration: metrics.httpDuration.labels(labels) };
      series.set(key, found);
    }
    return found;
  }
  function onFinish(this: Timed): void {
    const req = this.req;
    const routePath = (req.route as { path?: string } | undefined)?.path;
    const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
    const s = seriesFor(req.method, route, this.statusCode);
    s.count.inc();
    s.duration.observe((performance.now() - (this[STARTED] ?? 0)) / 1000);
  }
  return (_req, res, next) => {
    (res as Timed)[STARTED] = performance.now();
    res.on('finish', onFinish);
    next();
  };
}
