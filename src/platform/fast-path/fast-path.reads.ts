import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Router } from 'express';
import type { z } from 'zod';
import { jsonResponse, type ApiRoute } from '../openapi';

/**
 * A module's reads, each declared once: the router's GET route, an extracted service's fast
 * read and the OpenAPI operation are all made from the same declaration.
 */

/** What a read sees of the request: the fields an Express Request has too, so one handler serves both. */
export interface FastReadRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** Strings from `:name` segments; Express types them as arrays too, for wildcards, which reads do not use. */
  params: Record<string, string | string[]>;
  /** As Express's default ('simple') query parser gives it: node:querystring's parse. */
  query: Record<string, unknown>;
}

/**
 * Either the handler answers on Node's response itself (and conditional GETs with it), or it
 * returns the value sent as res.json would; a conditional GET (If-None-Match, If-Modified-Since)
 * of a `json` read then goes through the router, whose res.send applies Express's freshness check.
 */
export type ReadHandler = { answer: (req: FastReadRequest, res: ServerResponse) => Promise<void> } | { json: (req: FastReadRequest) => Promise<unknown> };

export interface ReadRoute<Deps> {
  /**
   * Under the mount, as a router route is written: literal segments and `:name` params, '/' for
   * the mount itself. No two reads of a router may match the same path.
   */
  path: string;
  summary: string;
  request?: Pick<NonNullable<ApiRoute['request']>, 'params' | 'query'>;
  /** The 200 answer. */
  response: { description: string; schema: z.ZodType };
  /** Every other answer by status: errors, 304. */
  otherResponses?: Record<number, ReturnType<typeof jsonResponse>>;
  handler(deps: Deps): ReadHandler;
}

/** A read a service may answer on its fast path: the path and the handler built for one router. */
export interface FastRead {
  path: string;
  handler: ReadHandler;
}

const FAST_READS = new WeakMap<Router, FastRead[]>();

/** Adds the reads to the router as GET routes and offers them to a service's fast path. */
export function serveReads<Deps>(router: Router, reads: Array<ReadRoute<Deps>>, deps: Deps): Router {
  const served = reads.map((read) => ({ path: read.path, handler: read.handler(deps) }));
  for (const { path, handler } of served) {
    if ('answer' in handler) router.get(path, (req, res) => handler.answer(req, res));
    else {
      router.get(path, async (req, res) => {
        res.json(await handler.json(req));
      });
    }
  }
  FAST_READS.set(router, served);
  return router;
}

/** The reads serveReads() gave this router; none for another router. */
export function fastReadsOf(router: Router): FastRead[] {
  return FAST_READS.get(router) ?? [];
}

/** The reads as OpenAPI operations under `basePath` (where the router is mounted). */
export function readApiRoutes<Deps>(basePath: string, reads: Array<ReadRoute<Deps>>, tags: string[]): ApiRoute[] {
  return reads.map((read) => ({
    method: 'get',
    path: basePath + (read.path === '/' ? '' : read.path.replace(/:(\w+)/g, '{$1}')),
    tags,
    summary: read.summary,
    ...(read.request ? { request: read.request } : {}),
    responses: { 200: jsonResponse(read.response.description, read.response.schema), ...read.otherResponses },
  }));
}
