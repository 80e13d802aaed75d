import type { RequestHandler } from 'express';
import { newRequestId, runWithContext, type RequestContext } from './context';
import { serveInSpan } from './tracing/server-span';
import { tracingActive } from './tracing/tracing';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** Every request runs in its own context: a request id (taken from X-Request-Id when sane) and the W3C traceparent; with tracing on, in a SERVER span too. */
export const requestContextMiddleware: RequestHandler = (req, res, next) => {
  // req.headers, not req.get(): the same values without the per-call lookup work, on every request.
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newRequestId();
  const traceparent = req.headers.traceparent;
  res.setHeader('x-request-id', requestId);
  const context: RequestContext = { requestId };
  if (typeof traceparent === 'string' && TRACEPARENT.test(traceparent)) context.traceparent = traceparent;
  if (tracingActive()) serveInSpan(req, res, () => runWithContext(context, next));
  else runWithContext(context, next);
};
