/**
 * Traces across processes (OpenTelemetry): off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. The
 * SDK itself lives in tracing-sdk.ts, loaded only by startTracing() when it is on (and by tests).
 */
export { activeTraceIds, activeTraceparent, bindToActiveContext, contextOf, setSpanAttributes, SpanKind, traced, tracingActive, type SpanOptions } from './tracing';
export { serveInSpan } from './server-span';
export { startTracing, type Tracing } from './start-tracing';
