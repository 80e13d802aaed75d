import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { Drain } from './drain';
import { AppError, errorMiddleware, notFoundHandler } from './errors';
import { healthRouter, type ReadinessCheck } from './health';
import type { Logger } from './logger';
import { httpMetricsMiddleware, type Metrics } from './metrics';
import { requestContextMiddleware } from './request-context.middleware';

export interface Mount {
  path: string;
  router: Router;
}

/**
 * One route answered ahead of Express's router when the method and the path match exactly
 * (the ingest hot path): request id, metrics and the JSON error body as everywhere else, but
 * none of the router's layer walking. The handler must answer or call next(err). It is also
 * mounted in the router, first, so variants the fast path does not match (a trailing slash,
 * another case) are answered the same way.
 */
export interface Endpoint {
  method: 'POST';
  /** Exact path, e.g. /slack/events. */
  path: string;
  handler: RequestHandler;
}

export interface AppDependencies {
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  /** When given, /readyz fails while it drains (SIGTERM). */
  drain?: Pick<Drain, 'draining'>;
  /** Webhook endpoints on the fast path (Slack's events), ahead of everything else. */
  endpoints?: Endpoint[];
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

type Handle = (req: IncomingMessage, res: ServerResponse, callback?: NextFunction) => void;

/** Builds the Express app from what it is given: no globals, so tests build as many as they like. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  const metricsMiddleware = httpMetricsMiddleware(deps.metrics);
  app.use(requestContextMiddleware);
  app.use(metricsMiddleware);
  for (const endpoint of deps.endpoints ?? []) app.post(endpoint.path, endpoint.handler);
  for (const mount of deps.webhookRoutes ?? []) app.use(mount.path, mount.router);
  app.use(helmet());
  app.use(healthRouter(deps.readiness, deps.metrics, deps.drain));
  for (const mount of deps.rawBodyRoutes ?? []) app.use(mount.path, mount.router);
  const limit = deps.bodyLimit ?? '100kb';
  app.use(express.json({ limit }));
  app.use(express.urlencoded({ extended: false, limit }));
  for (const mount of deps.routes ?? []) app.use(mount.path, mount.router);
  app.use(notFoundHandler);
  const onError = errorMiddleware(deps.logger);
  app.use(onError);
  if (deps.endpoints?.length) installFastPath(app, deps.endpoints, metricsMiddleware, onError);
  return app;
}

const NO_OP: NextFunction = () => undefined;

/**
 * Answers the endpoints before app.handle builds its final handler and walks the router:
 * the same request context and metrics middleware, the endpoint's handler, and errors to the
 * one error middleware. Anything else goes to Express unchanged.
 */
function installFastPath(app: Express, endpoints: Endpoint[], metrics: RequestHandler, onError: (err: unknown, req: Request, res: Response, next: NextFunction) => void): void {
  const byPath = new Map<string, Endpoint>();
  for (const endpoint of endpoints) byPath.set(endpoint.path, endpoint);
  const host = app as unknown as { handle: Handle };
  const handle = host.handle.bind(app);
  const requestProto = app.request as object;
  const responseProto = app.response as object;

  host.handle = (rawReq, rawRes, callback) => {
    const endpoint = rawReq.method === 'POST' ? byPath.get(rawReq.url ?? '') : undefined;
    if (!endpoint) {
      handle(rawReq, rawRes, callback);
      return;
    }
    // What app.handle sets up, so the endpoint and the error middleware see Express's req and res.
    const req = rawReq as Request;
    const res = rawRes as Response;
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, requestProto);
    Object.setPrototypeOf(res, responseProto);
    res.locals = Object.create(null) as Record<string, unknown>;
    // The metrics label is the route, as the router would have matched it.
    req.baseUrl = '';
    (req as { route?: unknown }).route = endpoint;
    const fail = (err?: unknown) => {
      onError(err ?? new AppError('HTTP.NOT_FOUND', `No route for ${req.method} ${endpoint.path}.`, 404), req, res, NO_OP);
    };
    requestContextMiddleware(req, res, () => {
      metrics(req, res, () => {
        try {
          const result: unknown = endpoint.handler(req, res, fail);
          if (result instanceof Promise) result.catch(fail);
        } catch (err) {
          fail(err);
        }
      });
    });
  };
}
