import { currentContext, newRequestId } from './context';
import { childTraceparent } from './remote/traceparent';
import { activeTraceparent } from './tracing/tracing';

/**
 * The traceparent of a call to another service: the active span's with tracing on (requestJson
 * asks inside its CLIENT span, so the service's SERVER span is that span's child), else a child
 * of the current request's, or the root of a new trace outside any request.
 */
export function outgoingTraceparent(): string {
  return activeTraceparent() ?? childTraceparent(currentContext()?.traceparent);
}

/**
 * The one source of the trace headers of a call between Jeeves' services (remoteHeaders, the
 * token endpoint): the request id of the current context, a fresh one outside any request so
 * the two sides' logs still meet, and outgoingTraceparent().
 */
export function traceHeaders(): { 'x-request-id': string; traceparent: string } {
  return { 'x-request-id': currentContext()?.requestId ?? newRequestId(), traceparent: outgoingTraceparent() };
}
