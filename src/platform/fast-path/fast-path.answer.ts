import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, Response } from 'express';

/** How a fast answer reaches Express's own pieces (its req/res methods, the router, the error middleware). */

export type EtagOf = (body: Buffer) => string | undefined;

/** res.json's answer to a GET without conditional headers: JSON with `; charset=utf-8`, its length, the app's ETag. */
export function sendJson(res: ServerResponse, value: unknown, etagOf: EtagOf): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(body.length));
  const etag = etagOf(body);
  if (etag) res.setHeader('ETag', etag);
  res.end(body);
}

/** Express's own ETag function (the app's `etag` setting), so a fast answer carries the tag res.send would give. */
export function etagOfApp(app: Express): EtagOf {
  const etagFn = app.get('etag fn') as EtagOf | undefined;
  return (body) => etagFn?.(body);
}

/** What app.handle sets up on Node's req and res, so Express's methods, routers and error middleware work on them. */
export function expressView(app: Express): (rawReq: IncomingMessage, rawRes: ServerResponse) => { req: Request; res: Response } {
  const requestProto = app.request as object;
  const responseProto = app.response as object;
  return (rawReq, rawRes) => {
    const req = rawReq as Request;
    const res = rawRes as Response;
    if (Object.getPrototypeOf(req) !== requestProto) {
      req.res = res;
      res.req = req;
      Object.setPrototypeOf(req, requestProto);
      Object.setPrototypeOf(res, responseProto);
    }
    return { req, res };
  };
}

export const NO_OP: NextFunction = () => undefined;
