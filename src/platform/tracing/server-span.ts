import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** What Express (or the fast path) leaves on a request once a route matched it. */
interface Routed {
  baseUrl?: string;
  route?: { path?: unknown };
}

function routeOf(req: IncomingMessage): string | undefined {
  const { baseUrl, route } = req as IncomingMessage & Routed;
  return typeof route?.path === 'string' ? `${baseUrl ?? ''}${route.path}` : undefined;
}

/**
 * Runs the rest of a request inside a SERVER span continuing the caller's traceparent header
 * (a new trace without one), named after the route it matched once it is answered. Only
 * called while tracing is active.
 */
export function serveInSpan(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const span = trace.getTracer('jeeves').startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': q === -1 ? url : url.slice(0, q) } }, parent);
  res.once('close', () => {
    const route = routeOf(req);
    if (route !== undefined) {
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}
