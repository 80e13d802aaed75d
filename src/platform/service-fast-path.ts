import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Express, NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { AppError, errorMiddleware } from './errors';
import type { Logger } from './logger';
import { requestContextMiddleware } from './request-context.middleware';

/**
 * An extracted service's reads (GET under a guarded mount, no body) answered ahead of
 * Express's app router, with what the app's stack would run on the way: the request id, the
 * metrics, the security headers and the service token check. What it skips is what a bodiless
 * GET never needed: the health and OpenAPI routers, the body parsers, the app router's walk.
 * A read the module declared with serveFastReads() is answered on Node's own req and res
 * (no Express prototypes, no router); any other GET under the mount goes into the mount's
 * router. Anything else (another method, a body, another case, an absolute URL, a path a
 * public route could answer) goes to Express unchanged. Both ways answer alike:
 * test/integration/service.fast-path.test.ts compares them.
 */

/** What a fast read sees of the request: the fields an Express Request has too, so one handler serves both. */
export interface FastReadRequest {
  method: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** As Express's default ('simple') query parser gives it: node:querystring's parse. */
  query: Record<string, unknown>;
}

/**
 * A read of a module router that a service may answer on its fast path, on Node's own
 * response. Either the handler answers itself (and conditional GETs with it), or it returns
 * the value and the fast path answers as res.json would; a conditional GET (If-None-Match,
 * If-Modified-Since) then goes through the router, whose res.send applies Express's freshness check.
 */
export type FastRead = {
  /**
   * Under the mount, as the router route is written: literal segments and `:name` params, '/' for
   * the mount itself. It must be the route the router would pick for the paths it matches.
   */
  path: string;
} & ({ answer: (req: FastReadRequest, res: ServerResponse) => Promise<void> } | { json: (req: FastReadRequest) => Promise<unknown> });

const FAST_READS = new WeakMap<Router, FastRead[]>();

/** Declares reads of a module router that a service may answer on its fast path. The router still serves them too. */
export function serveFastReads(router: Router, reads: FastRead[]): Router {
  FAST_READS.set(router, reads);
  return router;
}

/** res.json's answer to a GET without conditional headers: JSON with `; charset=utf-8`, its length, the app's ETag. */
function sendJson(res: ServerResponse, value: unknown, etagOf: (body: Buffer) => string | undefined): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(body.length));
  const etag = etagOf(body);
  if (etag) res.setHeader('ETag', etag);
  res.end(body);
}

export interface ServiceFastPathOptions {
  /** The guarded mounts, in the order the app mounts them. */
  mounts: Array<{ path: string; router: Router }>;
  /** Paths answered without a token (public routes): a request under one of them is left to Express. */
  publicPaths: string[];
  /** The app's own middleware (built the same way): request context is run first, as in the app. */
  metrics: RequestHandler;
  securityHeaders: RequestHandler;
  /**
   * Checks the service token and records the caller in res.locals, as the app's guard does:
   * undefined when done at once (a token verified before), else a promise that rejects with the guard's error.
   */
  authenticate(req: Request, res: Response): Promise<void> | undefined;
  logger: Logger;
}

type Handle = (req: IncomingMessage, res: ServerResponse, callback?: NextFunction) => void;

interface CompiledRead {
  read: FastRead;
  /** Literal segments, or undefined where a param goes. */
  segments: Array<string | undefined>;
  names: string[];
  route: { path: string };
}

interface FastMount {
  path: string;
  router: Router;
  reads: CompiledRead[];
}

const SLASH = 47;
const PERCENT = /%/;

/** The mount a path is under, as the router's prefix match would find it (exact case only). */
function under(pathname: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return pathname.startsWith(prefix) && (pathname.length === prefix.length || pathname.charCodeAt(prefix.length) === SLASH);
}

function compile(read: FastRead): CompiledRead {
  const parts = read.path === '/' ? [] : read.path.slice(1).split('/');
  return {
    read,
    segments: parts.map((p) => (p.startsWith(':') ? undefined : p)),
    names: parts.filter((p) => p.startsWith(':')).map((p) => p.slice(1)),
    route: { path: read.path },
  };
}

/**
 * The read whose path matches `rest` (the path under the mount) and its params. Only plain
 * paths: no empty segment, no trailing slash, no percent-encoding, so the router (which
 * decodes params and ignores a trailing slash) would have matched the same route with the same params.
 */
function matchRead(reads: CompiledRead[], rest: string): { compiled: CompiledRead; params: Record<string, string> } | undefined {
  if (PERCENT.test(rest)) return undefined;
  const parts = rest === '' ? [] : rest.slice(1).split('/');
  for (const compiled of reads) {
    const { segments, names } = compiled;
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let n = 0;
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i]!;
      const literal = segments[i];
      if (part === '') ok = false;
      else if (literal === undefined) params[names[n++]!] = part;
      else ok = literal === part;
    }
    if (ok) return { compiled, params };
  }
  return undefined;
}

export function installServiceFastPath(app: Express, options: ServiceFastPathOptions): void {
  // '/' would shadow health, metrics and /openapi.json; such a mount stays on Express's path.
  const mounts: FastMount[] = options.mounts
    .filter((m) => m.path !== '/' && m.path.startsWith('/'))
    .map((m) => ({ path: m.path.replace(/\/+$/, ''), router: m.router, reads: (FAST_READS.get(m.router) ?? []).map(compile) }));
  if (mounts.length === 0) return;
  const { metrics, securityHeaders, authenticate, publicPaths } = options;
  const onError = errorMiddleware(options.logger);
  const host = app as unknown as { handle: Handle };
  const handle = host.handle.bind(app);
  const requestProto = app.request as object;
  const responseProto = app.response as object;
  // Express's own ETag function (the app's `etag` setting), so a fast answer carries the tag res.send would give.
  const etagFn = app.get('etag fn') as ((body: Buffer) => string | undefined) | undefined;
  const etagOf = (body: Buffer): string | undefined => etagFn?.(body);

  /** The one mount that takes this path; none when a public route or a second mount could also answer it. */
  function mountFor(pathname: string): FastMount | undefined {
    let found: FastMount | undefined;
    for (const mount of mounts) {
      if (!under(pathname, mount.path)) continue;
      if (found) return undefined;
      found = mount;
    }
    if (!found) return undefined;
    for (const path of publicPaths) if (under(pathname, path)) return undefined;
    return found;
  }

  /** What app.handle sets up, so the router, Express's res methods and the error middleware work on them. */
  function asExpress(rawReq: IncomingMessage, rawRes: ServerResponse): { req: Request; res: Response } {
    const req = rawReq as Request;
    const res = rawRes as Response;
    if (Object.getPrototypeOf(req) !== requestProto) {
      req.res = res;
      res.req = req;
      Object.setPrototypeOf(req, requestProto);
      Object.setPrototypeOf(res, responseProto);
    }
    return { req, res };
  }

  host.handle = (rawReq, rawRes, callback) => {
    const headers = rawReq.headers;
    const url = rawReq.url ?? '';
    // A body would be parsed (or refused) by the app's parsers: leave such a GET to them.
    const eligible = rawReq.method === 'GET' && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined && url.charCodeAt(0) === SLASH;
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const mount = eligible ? mountFor(pathname) : undefined;
    if (!mount) {
      handle(rawReq, rawRes, callback);
      return;
    }
    let matched = matchRead(mount.reads, pathname.slice(mount.path.length));
    if (matched && 'json' in matched.compiled.read && (headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined)) matched = undefined;
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
          const { read } = compiled;
          if ('answer' in read) return read.answer(input, res);
          return read.json(input).then((value) => sendJson(rawRes, value, etagOf));
        }
      : () => {
          const express = asExpress(rawReq, rawRes);
          // As the app's body parsers leave a bodiless request.
          express.req.body = undefined;
          // The prefix trimmed as the router trims a mount's, so the module router matches what it always did.
          express.req.originalUrl = url;
          express.req.baseUrl = mount.path;
          const rest = url.slice(mount.path.length);
          express.req.url = rest.charCodeAt(0) === SLASH ? rest : `/${rest}`;
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
            const pending = authenticate(req, res);
            if (pending) pending.then(route).catch(fail);
            else route()?.catch(fail);
          } catch (thrown) {
            fail(thrown);
          }
        });
      });
    });
  };
}

const NO_OP: NextFunction = () => undefined;

