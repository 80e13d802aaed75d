import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Drain } from './drain';
import { errorMiddleware, notFoundHandler } from './errors';
import { installFastPath, type Endpoint, type FastReads } from './fast-path';
import { healthRouter, PROBE_PATHS, type ReadinessCheck } from './health';
import type { Logger } from './logger';
import { httpMetricsMiddleware, type Metrics } from './metrics';
import { requestContextExcept } from './request-context.middleware';

export type { Endpoint, EndpointHandler } from './fast-path';

export interface Mount {
  path: string;
  router: Router;
}

export interface AppDependencies {
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  /** When given, /readyz fails while it drains (SIGTERM). */
  drain?: Pick<Drain, 'draining'>;
  /** Webhook endpoints on the fast path (Slack's events), ahead of everything else. */
  endpoints?: Endpoint[];
  /** A service's reads under its guarded `routes`, on the fast path (each router's serveReads() declarations). */
  fastReads?: FastReads;
  /**
   * Webhooks called by machines, not browsers (Slack's slash commands), that parse their
   * own raw body: mounted first, before helmet and the health router. Their answers are acks
   * no browser renders, so browser security headers would only cost time on the ingest hot
   * path (benchmarked against Bolt's receiver).
   */
  webhookRoutes?: Mount[];
  /** Routers that parse their own body (Slack signs the raw bytes): mounted before the JSON parser. */
  rawBodyRoutes?: Mount[];
  routes?: Mount[];
  /** Largest JSON or form body accepted elsewhere. */
  bodyLimit?: string;
}

/** Builds the Express app from what it is given: no globals, so tests build as many as they like. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  const metricsMiddleware = httpMetricsMiddleware(deps.metrics);
  app.use(requestContextExcept(PROBE_PATHS));
  app.use(metricsMiddleware);
  for (const endpoint of deps.endpoints ?? []) app.post(endpoint.path, endpoint.handler);
  for (const mount of deps.webhookRoutes ?? []) app.use(mount.path, mount.router);
  const securityHeaders = helmet();
  app.use(securityHeaders);
  app.use(healthRouter(deps.readiness, deps.metrics, deps.drain));
  for (const mount of deps.rawBodyRoutes ?? []) app.use(mount.path, mount.router);
  const limit = deps.bodyLimit ?? '100kb';
  app.use(express.json({ limit }));
  app.use(express.urlencoded({ extended: false, limit }));
  for (const mount of deps.routes ?? []) app.use(mount.path, mount.router);
  app.use(notFoundHandler);
  const onError = errorMiddleware(deps.logger);
  app.use(onError);
  installFastPath(app, {
    ...(deps.endpoints ? { endpoints: deps.endpoints } : {}),
    ...(deps.fastReads ? { reads: { ...deps.fastReads, mounts: deps.routes ?? [] } } : {}),
    metrics: metricsMiddleware,
    securityHeaders,
    onError,
  });
  return app;
}
