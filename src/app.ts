import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { errorMiddleware, notFoundHandler } from './platform/errors';
import { healthRouter, type ReadinessCheck } from './platform/health';
import type { Logger } from './platform/logger';
import { httpMetricsMiddleware, type Metrics } from './platform/metrics';
import { requestContextMiddleware } from './platform/request-context.middleware';

export interface Mount {
  path: string;
  router: Router;
}

export interface AppDependencies {
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  /**
   * Webhooks called by machines, not browsers (Slack's events and commands), that parse their
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
  app.use(requestContextMiddleware);
  app.use(httpMetricsMiddleware(deps.metrics));
  for (const mount of deps.webhookRoutes ?? []) app.use(mount.path, mount.router);
  app.use(helmet());
  app.use(healthRouter(deps.readiness, deps.metrics));
  for (const mount of deps.rawBodyRoutes ?? []) app.use(mount.path, mount.router);
  const limit = deps.bodyLimit ?? '100kb';
  app.use(express.json({ limit }));
  app.use(express.urlencoded({ extended: false, limit }));
  for (const mount of deps.routes ?? []) app.use(mount.path, mount.router);
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.logger));
  return app;
}
