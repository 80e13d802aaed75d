import type { Request, RequestHandler, Response } from 'express';
import { newRequestId, runWithContext, type RequestContext } from './context';
import { serveInSpan } from './tracing/server-span';
import { tracingActive } from './tracing/tracing';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The caller's X-Request-Id when sane, else a new one; set on the answer too. */
function answerRequestId(req: Request, res: Response): string {
  // req.headers, not req.get(): the same values without the per-call lookup work, on every request.
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newRequestId();
  res.setHeader('x-request-id', requestId);
  return requestId;
}

/** Every request runs in its own context: a request id (taken from X-Request-Id when sane) and the W3C traceparent; with tracing on, in a SERVER span too. */
export const requestContextMiddleware: RequestHandler = (req, res, next) => {
  const requestId = answerRequestId(req, res);
  const traceparent = req.headers.traceparent;
  const context: RequestContext = { requestId };
  if (typeof traceparent === 'string' && TRACEPARENT.test(traceparent)) context.traceparent = traceparent;
  if (tracingActive()) serveInSpan(req, res, () => runWithContext(context, next));
  else runWithContext(context, next);
};

/**
 * The request context for every request but those to `paths` (probes and scrapes), which get
 * their request id and, while tracing is off, no context. On Node 20 the first context a
 * process enters switches on AsyncLocalStorage's promise hooks for good, and a delivery worker's
 * only requests are its probes and scrapes: one context would make every promise of every
 * delivery pay (bench/README.md).
 */
export function requestContextExcept(paths: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const url = req.url;
    const q = url.indexOf('?');
    // With tracing on, contexts are everywhere anyway (every span is one), and probes are traced as before.
    if (tracingActive() || !paths.has(q === -1 ? url : url.slice(0, q))) {
      requestContextMiddleware(req, res, next);
      return;
    }
    answerRequestId(req, res);
    next();
  };
}
