import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weatherService } from '../../extracted/weather/main';
import { loadConfig, type Env } from '../../src/config';
import { freePort } from '../../src/platform/db/embedded-postgres';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { listen, type ListeningServer } from '../../src/platform/server';
import { SpanKind } from '../../src/platform/tracing';
import { startService, type RunningService } from '../../src/service-host/service-host';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { describeWithRedis } from '../support/redis';
import { installInMemoryTracing, parentOf, type InMemoryTracing, type ReadableSpan } from '../support/tracing';

/**
 * Issue 13, item 7: one chat message is one trace, from POST /slack/events to chat.postMessage,
 * across both queue hops and the extracted weather service's side of its HTTP call. The service
 * runs in this process, but its SERVER span continues the traceparent header it was sent, not
 * the caller's in-process context: the same path as between two machines.
 */
function oneTracePerMessage(extraEnv: () => Env): void {
  let tracing: InMemoryTracing;
  let h: JeevesHarness;
  let monolith: ListeningServer;
  let weather: RunningService | undefined;
  let flagsFile: string;

  beforeAll(async () => {
    tracing = installInMemoryTracing();
    const [monolithPort, weatherPort] = [await freePort(), await freePort()];
    flagsFile = join(tmpdir(), `jeeves-tracing-${process.pid}-${Date.now()}.json`);
    writeFileSync(flagsFile, JSON.stringify({ flags: { 'weather-remote': { enabled: true, rollout: 100 } } }));
    h = await startJeevesHarness({ FLAGS_FILE: flagsFile, WEATHER_SERVICE_URL: `http://127.0.0.1:${weatherPort}`, ...extraEnv() });
    monolith = await listen(h.jeeves.app, monolithPort, '127.0.0.1');
    weather = await startService(weatherService, {
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: h.database.url,
        TOKENS_JWKS_URL: `http://127.0.0.1:${monolithPort}/.well-known/jwks.json`,
        WEATHER_API_URL: h.openMeteo.forecastUrl,
        GEOCODING_API_URL: h.openMeteo.geocodingUrl,
      }),
      port: weatherPort,
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics({ defaults: false }),
    });
  }, 60_000);

  afterAll(async () => {
    await weather?.close();
    await monolith?.close();
    await h?.close();
    await tracing?.shutdown();
    if (flagsFile) rmSync(flagsFile, { force: true });
  });

  it('when a member asks for the weather with weather remote, then ingress, both queue hops, the remote call, the service and the post are one trace, each span the child of the one before', async () => {
    const event = h.signedDm('weather in Paris', { channel: 'D0TRACE01' });
    const res = await fetch(`http://127.0.0.1:${monolith.port}/slack/events`, { method: 'POST', headers: event.headers, body: event.body });
    expect(res.status).toBe(200);
    const replies = await eventually(() => h.slack.messages.filter((m) => m.channel === 'D0TRACE01'), (m) => m.length === 1);
    expect(replies[0]!.text).toMatch(/Paris.*°C/s);

    // The delivery's CONSUMER span ends just after the post it encloses.
    const spans = await eventually(
      () => tracing.spans(),
      (all) => all.some((s) => s.name === 'slack-deliveries process' && all.some((p) => p.name === 'chat.postMessage' && parentOf(p) === s.spanContext().spanId)),
    );
    const ingress = spans.filter((s) => s.name === 'POST /slack/events');
    expect(ingress).toHaveLength(1);
    const traceId = ingress[0]!.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);

    /** The one span of this trace with that name whose parent is `parent`. */
    const childOf = (parent: ReadableSpan, name: string, kind: SpanKind): ReadableSpan => {
      const found = inTrace.filter((s) => s.name === name && parentOf(s) === parent.spanContext().spanId);
      expect({ name, children: found.length }).toEqual({ name, children: 1 });
      expect(found[0]!.kind).toBe(kind);
      return found[0]!;
    };
    /** The span of this trace named so whose chain of parents reaches `ancestor`. */
    const descendantOf = (ancestor: ReadableSpan, match: (s: ReadableSpan) => boolean): ReadableSpan => {
      const byId = new Map(inTrace.map((s) => [s.spanContext().spanId, s]));
      const reaches = (s: ReadableSpan): boolean => {
        let up = parentOf(s);
        while (up !== undefined && up !== ancestor.spanContext().spanId) {
          const next = byId.get(up);
          up = next && parentOf(next);
        }
        return up !== undefined;
      };
      const found = inTrace.filter((s) => match(s) && reaches(s));
      expect(found).toHaveLength(1);
      return found[0]!;
    };

    const root = ingress[0]!;
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(parentOf(root)).toBeUndefined();
    const eventsQueued = childOf(root, 'slack-events publish', SpanKind.PRODUCER);
    const eventsTaken = childOf(eventsQueued, 'slack-events process', SpanKind.CONSUMER);

    const weatherCall = descendantOf(eventsTaken, (s) => s.attributes['jeeves.module'] === 'weather');
    expect(weatherCall.attributes).toMatchObject({ 'jeeves.route': 'remote', 'jeeves.outcome': 'ok' });
    const remoteCall = childOf(weatherCall, 'GET weather', SpanKind.CLIENT);
    const served = inTrace.filter((s) => s.kind === SpanKind.SERVER && parentOf(s) === remoteCall.spanContext().spanId);
    expect(served).toHaveLength(1);
    expect(served[0]!.attributes['http.route']).toMatch(/^\/api\/weather/);
    expect(served[0]!.attributes['http.response.status_code']).toBe(200);
    // Within the service: its own module call, and from there the weather provider's.
    const upstream = descendantOf(served[0]!, (s) => s.name === 'Open-Meteo forecast');
    expect(upstream.kind).toBe(SpanKind.CLIENT);

    const deliveryQueued = descendantOf(eventsTaken, (s) => s.name === 'slack-deliveries publish');
    expect(deliveryQueued.kind).toBe(SpanKind.PRODUCER);
    const deliveryTaken = childOf(deliveryQueued, 'slack-deliveries process', SpanKind.CONSUMER);
    childOf(deliveryTaken, 'chat.postMessage', SpanKind.CLIENT);

    // One message, one trace: no hop of it started a trace of its own.
    const hops = ['slack-events process', 'slack-deliveries process', 'chat.postMessage'];
    expect(new Set(spans.filter((s) => hops.includes(s.name)).map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
  });
}

describe('one trace per chat message, in-process queue', () => oneTracePerMessage(() => ({})));

describeWithRedis('one trace per chat message, BullMQ', (redisUrl) => oneTracePerMessage(() => ({ REDIS_URL: redisUrl })));
