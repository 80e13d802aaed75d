import type { RequestHandler } from 'express';
import { newRequestId, runWithContext } from './context';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** Every request runs in its own context: a request id (taken from X-Request-Id when sane) and the W3C traceparent. */
export const requestContextMiddleware: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : newRequestId();
  const traceparent = req.get('traceparent');
  res.setHeader('x-request-id', requestId);
  runWithContext({ requestId, ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}) }, () => next());
};
