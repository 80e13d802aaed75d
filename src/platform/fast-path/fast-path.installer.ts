import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Express, NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { AppError } from '../errors';
import { requestContextMiddleware } from '../request-context.middleware';
import { etagOfApp, expressView, NO_OP, sendJson } from './fast-path.answer';
import { compilePath, isAbsolutePath, isUnder, matchPath, type CompiledPath } from './fast-path.matcher';
import { fastReadsOf, type FastRead, type FastReadRequest } from './fast-path.reads';

/**
 * The one way to answer ahead of Express's app router: endpoints (an exact method and path,
 * the monolith's webhooks) and a service's reads (bodiless GETs under its guarded mounts) go
 * through the same middleware the app runs on their way; anything else goes to Express unchanged.
 */

/**
 * One route answered when the method and the path match exactly: request id, metrics and the
 * JSON error body as everywhere else. The handler must answer or call next(err). It is also
 * mounted in the router, so variants the fast path does not match (a trailing slash, another
 * case) are answered the same way.
 */
export interface Endpoint {
  method: 'POST';
  /** Exact path, e.g. /slack/events. */
  path: string;
  handler: EndpointHandler;
}

/**
 * An endpoint's handler works on Node's own req and res (no Express methods): on the fast path
 * they are answered without Express's request and response prototypes, whose swap cost about a
 * quarter of the ingest path's allocations (bench/README.md). Express's objects are Node's too,
 * so the router can mount the same handler.
 */
export type EndpointHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: NextFunction) => void;

/**
 * A service's reads: each read its routers declared with serveReads() is answered on Node's own
 * req and res; any other GET under a mount goes into the mount's router. A body, another method,
 * an absolute URL or a path a public route could answer goes to Express.
 */
export interface FastReads {
  /** Paths answered without a token (public routes): a request under one of them is left to Express. */
  publicPaths: string[];
  /**
   * Checks the service token and records the caller in res.locals, as the app's guard does:
   * undefined when done at once (a token verified before), else a promise that rejects with the guard's error.
   */
  authenticate(req: Request, res: Response): Promise<void> | undefined;
}

export interface FastPathOptions {
  endpoints?: Endpoint[];
  /** With the guarded mounts, in the order the app mounts them. */
  reads?: FastReads & { mounts: Array<{ path: string; router: Router }> };
  /** The app's own middleware, as it runs them after the request context. */
  metrics: RequestHandler;
  /** Run on reads only: the endpoints answer machines, ahead of the app's security headers too. */
  securityHeaders: RequestHandler;
  onError: (err: unknown, req: Request, res: Response, next: NextFunction) => void;
}

type Handle = (req: IncomingMessage, res: ServerResponse, callback?: NextFunction) => void;

interface FastMount {
  path: string;
  router: Router;
  reads: Array<CompiledPath<FastRead>>;
  authenticate: FastReads['authenticate'];
}

export function installFastPath(app: Express, options: FastPathOptions): void {
  const byPath = new Map<string, Endpoint>();
  for (const endpoint of options.endpoints ?? []) byPath.set(endpoint.path, endpoint);
  // '/' would shadow health, metrics and /openapi.json; such a mount stays on Express's path.
  const { reads } = options;
  const mounts: FastMount[] = reads
    ? reads.mounts
        .filter((m) => m.path !== '/' && isAbsolutePath(m.path))
        .map((m) => ({
          path: m.path.replace(/\/+$/, ''),
          router: m.router,
          reads: fastReadsOf(m.router).map((read) => compilePath(read.path, read)),
          authenticate: reads.authenticate,
        }))
    : [];
  if (byPath.size === 0 && mounts.length === 0) return;
  const { metrics, securityHeaders, onError } = options;
  const publicPaths = reads?.publicPaths ?? [];
  const host = app as unknown as { handle: Handle };
  const handle = host.handle.bind(app);
  const asExpress = expressView(app);
  const etagOf = etagOfApp(app);

  function answerEndpoint(endpoint: Endpoint, rawReq: IncomingMessage, rawRes: ServerResponse): void {
    // Node's req and res as they are: the request context and the metrics use only what Node's have.
    const req = rawReq as Request;
    const res = rawRes as Response;
    // The metrics label is the route, as the router would have matched it.
    req.baseUrl = '';
    (req as { route?: unknown }).route = endpoint;
    const fail = (err?: unknown) => {
      // Express's view only for the error middleware, which renders through it.
      const express = asExpress(rawReq, rawRes);
      express.res.locals = Object.create(null) as Record<string, unknown>;
      onError(err ?? new AppError('HTTP.NOT_FOUND', `No route for ${req.method} ${endpoint.path}.`, 404), express.req, express.res, NO_OP);
    };
    requestContextMiddleware(req, res, () => {
      metrics(req, res, () => {
        try {
          const result: unknown = endpoint.handler(rawReq, rawRes, fail);
          if (result instanceof Promise) result.catch(fail);
        } catch (err) {
          fail(err);
        }
      });
    });
  }

  /** The one mount that takes this path; none when a public route or a second mount could also answer it. */
  function mountFor(pathname: string): FastMount | undefined {
    let found: FastMount | undefined;
    for (const mount of mounts) {
      if (!isUnder(pathname, mount.path)) continue;
      if (found) return undefined;
      found = mount;
    }
    if (!found) return undefined;
    for (const path of publicPaths) if (isUnder(pathname, path)) return undefined;
    return found;
  }

  function answerRead(mount: FastMount, pathname: string, rawReq: IncomingMessage, rawRes: ServerResponse): void {
    const headers = rawReq.headers;
    const url = rawReq.url ?? '';
    const q = url.indexOf('?');
    let matched = matchPath(mount.reads, pathname.slice(mount.path.length));
    if (matched && 'json' in matched.compiled.value.handler && (headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined)) matched = undefined;
    // Node's req and res stay as they are on a declared read; the middleware below only use what they have.
    const req = rawReq as Request;
    const res = rawRes as Response;
    res.locals = Object.create(null) as Record<string, unknown>;
    const fail = (err?: unknown) => {
      const express = asExpress(rawReq, rawRes);
      // Back to the app's view of the request, as its not-found handler and error middleware see it.
      express.req.url = url;
      express.req.baseUrl = '';
      onError(err ?? new AppError('HTTP.NOT_FOUND', `No route for GET ${pathname}.`, 404), express.req, express.res, NO_OP);
    };
    const route: () => Promise<void> | void = matched
      ? () => {
          const { compiled, params } = matched;
          // The metrics label, as the router would leave it: the mount path and the route's.
          req.baseUrl = mount.path;
          (req as { route?: unknown }).route = compiled.route;
          const input: FastReadRequest = { method: 'GET', headers, params, query: parseQuery(q === -1 ? '' : url.slice(q + 1)) };
          const { handler } = compiled.value;
          if ('answer' in handler) return handler.answer(input, res);
          return handler.json(input).then((value) => sendJson(rawRes, value, etagOf));
        }
      : () => {
          const express = asExpress(rawReq, rawRes);
          // As the app's body parsers leave a bodiless request.
          express.req.body = undefined;
          // The prefix trimmed as the router trims a mount's, so the module router matches what it always did.
          express.req.originalUrl = url;
          express.req.baseUrl = mount.path;
          const rest = url.slice(mount.path.length);
          express.req.url = isAbsolutePath(rest) ? rest : `/${rest}`;
          mount.router(express.req, express.res, fail);
        };
    requestContextMiddleware(req, res, () => {
      metrics(req, res, () => {
        securityHeaders(req, res, (err?: unknown) => {
          if (err) {
            fail(err);
            return;
          }
          try {
            const pending = mount.authenticate(req, res);
            if (pending) pending.then(route).catch(fail);
            else route()?.catch(fail);
          } catch (thrown) {
            fail(thrown);
          }
        });
      });
    });
  }

  host.handle = (rawReq, rawRes, callback) => {
    const method = rawReq.method;
    const url = rawReq.url ?? '';
    if (method === 'POST') {
      const endpoint = byPath.get(url);
      if (endpoint) {
        answerEndpoint(endpoint, rawReq, rawRes);
        return;
      }
    } else if (method === 'GET' && mounts.length > 0) {
      const headers = rawReq.headers;
      // A body would be parsed (or refused) by the app's parsers: leave such a GET to them.
      if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined && isAbsolutePath(url)) {
        const q = url.indexOf('?');
        const pathname = q === -1 ? url : url.slice(0, q);
        const mount = mountFor(pathname);
        if (mount) {
          answerRead(mount, pathname, rawReq, rawRes);
          return;
        }
      }
    }
    handle(rawReq, rawRes, callback);
  };
}
