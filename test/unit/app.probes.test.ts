import { Router } from 'express';
import request from 'supertest';
import { createApp } from '../../src/platform/app';
import { currentContext } from '../../src/platform/context';
import { createLogger } from '../../src/platform/logger';
import { createMetrics, type Metrics } from '../../src/platform/metrics';

const logger = createLogger({ level: 'silent', name: 'test' });

/** An app whose readiness check and one route report the request context they ran in. */
function reportingApp(metrics: Metrics = createMetrics({ defaults: false })) {
  const seen: Array<string | null> = [];
  const routes = Router();
  routes.get('/', (_req, res) => {
    res.json({ requestId: currentContext()?.requestId ?? null });
  });
  const app = createApp({
    logger,
    metrics,
    readiness: {
      probe: async () => {
        seen.push(currentContext()?.requestId ?? null);
      },
    },
    routes: [{ path: '/api/thing', router: routes }],
  });
  return { app, seen };
}

async function requestsFor(metrics: Metrics, route: string): Promise<number> {
  const values = (await metrics.httpRequests.get()).values;
  return values.filter((v) => v.labels.route === route).reduce((n, v) => n + v.value, 0);
}

describe('probes and scrapes answer without a request context', () => {
  it('given /readyz, then its checks run outside any context, and the answer still carries the request id', async () => {
    const { app, seen } = reportingApp();
    const res = await request(app).get('/readyz').set('x-request-id', 'probe-1').expect(200);
    expect(res.headers['x-request-id']).toBe('probe-1');
    expect(seen).toEqual([null]);
  });

  it('given /readyz with a query string, then it is still a probe', async () => {
    const { app, seen } = reportingApp();
    await request(app).get('/readyz?verbose=1').expect(200);
    expect(seen).toEqual([null]);
  });

  it('given /healthz and /metrics, then both answer with a fresh request id and are counted', async () => {
    const metrics = createMetrics({ defaults: false });
    const { app } = reportingApp(metrics);
    const health = await request(app).get('/healthz').expect(200);
    const scrape = await request(app).get('/metrics').expect(200);
    expect(health.headers['x-request-id']).toEqual(expect.any(String));
    expect(scrape.headers['x-request-id']).toEqual(expect.any(String));
    expect(health.headers['x-request-id']).not.toBe(scrape.headers['x-request-id']);
    expect(await requestsFor(metrics, '/healthz')).toBe(1);
  });

  it('given any other route, then it runs in its request context, as before', async () => {
    const { app } = reportingApp();
    const res = await request(app).get('/api/thing').set('x-request-id', 'req-7').expect(200);
    expect(res.body).toEqual({ requestId: 'req-7' });
    expect(res.headers['x-request-id']).toBe('req-7');
  });
});
