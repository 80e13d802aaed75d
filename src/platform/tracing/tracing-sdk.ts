import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { markTracingActive, tracingActive, type Tracing } from './tracing';

export interface InstallTracingOptions {
  /** The resource's service.name: which process kind recorded a span. */
  serviceName: string;
  spanProcessors: SpanProcessor[];
}

/**
 * Records spans from now on: a tracer provider with the W3C traceparent propagator and the
 * AsyncLocalStorage context manager, registered globally. One per process at a time.
 */
export function installTracing({ serviceName, spanProcessors }: InstallTracingOptions): Tracing {
  if (tracingActive()) throw new Error('tracing is already on in this process');
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), spanProcessors });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  markTracingActive(true);
  let stopped = false;
  return {
    async shutdown() {
      if (stopped) return;
      stopped = true;
      markTracingActive(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is the collector's base URL; traces go to its /v1/traces, as the OTLP spec says. */
export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** Spans batched and sent over OTLP/HTTP to the collector at `endpoint`. */
export function installOtlpTracing(endpoint: string, serviceName: string): Tracing {
  return installTracing({ serviceName, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(endpoint) }))] });
}
