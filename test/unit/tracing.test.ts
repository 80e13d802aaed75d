import { runWithContext } from '../../src/platform/context';
import { createFakeFlagResolver } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createModuleSwitch, createRoutingRegistry, type ModulePolicy } from '../../src/platform/remote';
import { createMemoryQueue } from '../../src/platform/queue/memory-queue';
import type { JobInfo } from '../../src/platform/queue/queue';
import { traceJobQueue, TRACEPARENT_FIELD } from '../../src/platform/queue/queue-tracing';
import { startTracing, traced, tracingActive } from '../../src/platform/tracing';
import { captureLogs } from '../support/log-capture';
import { silentLogger, waitFor } from '../support/queue-helpers';
import { installInMemoryTracing, parentOf, type InMemoryTracing } from '../support/tracing';

/** Tracing in one process: off by default and then invisible; on, log lines and jobs carry the trace. */

async function oneJob(data: Record<string, unknown>): Promise<{ seen: JobInfo; stored: unknown }> {
  const inner = createMemoryQueue({ logger: silentLogger() });
  const stored: unknown[] = [];
  // What the backend is given to keep, before the tracing decorator takes it back out.
  const spy = {
    ...inner,
    add: <T>(q: string, n: string, d: T) => {
      stored.push(d);
      return inner.add(q, n, d);
    },
  };
  const queue = traceJobQueue(spy);
  const seen: JobInfo[] = [];
  queue.work('q', async (job) => {
    seen.push(job);
  });
  await traced('caller', {}, () => queue.add('q', 'job', data));
  await waitFor(() => seen.length === 1, 'the job ran', 2000);
  await queue.close(100);
  return { seen: seen[0]!, stored: stored[0] };
}

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('when the endpoint is unset, then tracing stays off', async () => {
    const tracing = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_SERVICE_NAME: undefined }, 'jeeves');
    expect(tracingActive()).toBe(false);
    await tracing.shutdown();
  });

  it('when a job is queued, then its data goes to the backend as it was given', async () => {
    const { seen, stored } = await oneJob({ text: 'hi' });
    expect(stored).toEqual({ text: 'hi' });
    expect(seen.data).toEqual({ text: 'hi' });
  });

  it('when a log line is written inside a request, then it carries the request id and no trace id', () => {
    const { logger, lines } = captureLogs();
    runWithContext({ requestId: 'req-1' }, () => logger.info('hello'));
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line.requestId).toBe('req-1');
    expect(line).not.toHaveProperty('trace_id');
  });
});

describe('tracing on', () => {
  let tracing: InMemoryTracing;
  beforeEach(() => {
    tracing = installInMemoryTracing();
  });
  afterEach(() => tracing.shutdown());

  it('when a log line is written inside a span, then it carries that span trace and span ids', async () => {
    const { logger, lines } = captureLogs();
    await traced('work', {}, async () => logger.info('inside'));
    logger.info('outside');
    const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const span = tracing.spans().find((s) => s.name === 'work')!;
    expect(inside).toMatchObject({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('when a job is queued, then its data carries the PRODUCER span traceparent, the try is its CONSUMER child and the handler sees the data as given', async () => {
    const { seen, stored } = await oneJob({ text: 'hi' });
    await waitFor(() => tracing.spans().some((s) => s.name === 'q process'), 'the try span ended', 2000);
    const spans = tracing.spans();
    const [caller, publish, process] = ['caller', 'q publish', 'q process'].map((name) => spans.find((s) => s.name === name)!);
    expect(parentOf(publish!)).toBe(caller!.spanContext().spanId);
    expect(parentOf(process!)).toBe(publish!.spanContext().spanId);
    const { traceId, spanId } = publish!.spanContext();
    expect(stored).toEqual({ text: 'hi', [TRACEPARENT_FIELD]: `00-${traceId}-${spanId}-01` });
    expect(seen.data).toEqual({ text: 'hi' });
  });

  it.each([
    [[], 'local', 'local'],
    [['catalog-shadow'], 'shadow', 'local'],
    [['catalog-remote'], 'remote', 'remote'],
  ])('when the flags on are %j, then the module call is a span with route %s', async (flagsOn, route, answeredBy) => {
    interface Catalog {
      find(id: string): Promise<string>;
    }
    const policy: ModulePolicy<Catalog> = { find: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' } };
    const registry = createRoutingRegistry();
    const catalog = createModuleSwitch<Catalog>({
      module: 'catalog',
      local: { find: async (id) => `local:${id}` },
      remote: { find: async (id) => `remote:${id}` },
      flags: createFakeFlagResolver(Object.fromEntries(flagsOn.map((name) => [name, true]))),
      policy,
      metrics: createMetrics({ defaults: false }),
      logger: createLogger({ level: 'silent' }),
      registry,
    });
    try {
      await expect(traced('caller', {}, () => catalog.find('7'))).resolves.toBe(`${answeredBy}:7`);
    } finally {
      registry.close();
    }
    const spans = tracing.spans();
    const call = spans.find((s) => s.name === 'catalog.find')!;
    expect(call.attributes).toEqual({ 'jeeves.module': 'catalog', 'jeeves.method': 'find', 'jeeves.route': route, 'jeeves.outcome': 'ok' });
    expect(parentOf(call)).toBe(spans.find((s) => s.name === 'caller')!.spanContext().spanId);
  });

  it('when a traced call fails, then its span says so and the failure reaches the caller', async () => {
    await expect(traced('failing', {}, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    const span = tracing.spans().find((s) => s.name === 'failing')!;
    expect(span.status).toMatchObject({ code: 2, message: 'down' });
  });
});
