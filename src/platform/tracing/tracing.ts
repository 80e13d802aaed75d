import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/**
 * OpenTelemetry, off unless a process turns it on (OTEL_EXPORTER_OTLP_ENDPOINT, or a test's
 * in-memory exporter). Every instrumented place asks tracingActive() first: off, it runs the
 * work as it always did, without so much as a no-op span.
 */

export { SpanKind } from '@opentelemetry/api';

const TRACER_NAME = 'jeeves';
let active = false;

/** Whether spans are being recorded in this process. */
export function tracingActive(): boolean {
  return active;
}

/** Set by the SDK's installer only (tracing-sdk.ts). */
export function markTracingActive(on: boolean): void {
  active = on;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The span's parent; default the active context. */
  parent?: Context;
}

function ended(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  span.end();
}

/** Runs `work` inside a new span (the active one while it runs); a rejection marks the span failed. */
export function traced<R>(name: string, options: SpanOptions, work: () => Promise<R>): Promise<R> {
  if (!active) return work();
  const parent = options.parent ?? context.active();
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
  let pending: Promise<R>;
  try {
    pending = context.with(trace.setSpan(parent, span), work);
  } catch (err) {
    ended(span, err);
    throw err;
  }
  return pending.then(
    (value) => {
      span.end();
      return value;
    },
    (err: unknown) => {
      ended(span, err);
      throw err;
    },
  );
}

/** `fn` bound to the active context, for a callback a stream event calls (which would run in the socket's context). */
export function bindToActiveContext<F extends (...args: never[]) => unknown>(fn: F): F {
  return active ? context.bind(context.active(), fn) : fn;
}

/** Adds attributes to the active span, if spans are recorded. */
export function setSpanAttributes(attributes: Attributes): void {
  if (active) trace.getActiveSpan()?.setAttributes(attributes);
}

/** The W3C traceparent of the active span, to carry across a process boundary. */
export function activeTraceparent(): string | undefined {
  if (!active) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The context a carried traceparent continues; the root context when there is none (a new trace). */
export function contextOf(traceparent: string | undefined): Context {
  return traceparent === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** The ids for log lines: the active span's trace and span, when spans are recorded. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  if (!active) return undefined;
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Tracing as a process holds it: stopping flushes the spans still buffered. */
export interface Tracing {
  shutdown(): Promise<void>;
}
