import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { installTracing } from '../../src/platform/tracing/tracing-sdk';

export type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface InMemoryTracing {
  /** Every span ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  shutdown(): Promise<void>;
}

/** Tracing on in this test process, every span kept in memory (OpenTelemetry's InMemorySpanExporter). */
export function installInMemoryTracing(): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const tracing = installTracing({ serviceName: 'jeeves-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { spans: () => exporter.getFinishedSpans(), shutdown: () => tracing.shutdown() };
}

/** The span's parent span id, or undefined for a root. */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
