import { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { createApp, type EndpointHandler } from '../../src/platform/app';
import { currentContext } from '../../src/platform/context';
import { AppError } from '../../src/platform/errors';
import { createLogger } from '../../src/platform/logger';
import { createMetrics, type Metrics } from '../../src/platform/metrics';

const logger = createLogger({ level: 'silent', name: 'test' });

function appWith(handler: EndpointHandler, metrics: Metrics = createMetrics({ defaults: false })) {
  return createApp({ logger, metrics, readiness: {}, endpoints: [{ method: 'POST', path: '/hooks/in', handler }] });
}

async function requestsFor(metrics: Metrics, route: string): Promise<number> {
  const values = (await metrics.httpRequests.get()).values;
  return values.filter((v) => v.labels.route === route).reduce((n, v) => n + v.value, 0);
}

describe('createApp endpoints (the fast path ahead of the router)', () => {
  // Node's own res: an endpoint handler has no Express methods on the fast path.
  const answering: EndpointHandler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requestId: currentContext()?.requestId ?? null }));
  };

  it('given an exact POST, then the handler answers in the request context, with the request id header and the route metric', async () => {
    const metrics = createMetrics({ defaults: false });
    const res = await request(appWith(answering, metrics)).post('/hooks/in').set('x-request-id', 'req-1').send('x').expect(200);
    expect(res.headers['x-request-id']).toBe('req-1');
    expect(res.body).toEqual({ requestId: 'req-1' });
    expect(await requestsFor(metrics, '/hooks/in')).toBe(1);
  });

  it("given an exact POST, then the handler gets Node's own req and res, without Express's prototypes", async () => {
    const seen: string[] = [];
    const app = appWith((req, res) => {
      seen.push(Object.getPrototypeOf(req) === IncomingMessage.prototype ? 'node req' : 'other req');
      seen.push(Object.getPrototypeOf(res) === ServerResponse.prototype ? 'node res' : 'other res');
      res.end();
    });
    await request(app).post('/hooks/in').expect(200);
    expect(seen).toEqual(['node req', 'node res']);
  });

  it('given a variant of the path (trailing slash), then the router answers it with the same handler', async () => {
    const res = await request(appWith(answering)).post('/hooks/in/').expect(200);
    expect(typeof res.body.requestId).toBe('string');
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  });

  it('given another method or path, then Express answers (404 in the contract body)', async () => {
    const app = appWith(answering);
    expect((await request(app).get('/hooks/in').expect(404)).body.error.code).toBe('HTTP.NOT_FOUND');
    expect((await request(app).post('/hooks/other').expect(404)).body.error.code).toBe('HTTP.NOT_FOUND');
    await request(app).get('/healthz').expect(200);
  });

  it('when the handler passes an error to next, then the contract JSON body with its status and the request id', async () => {
    const metrics = createMetrics({ defaults: false });
    const app = appWith((_req, _res, next) => next(new AppError('HOOK.REFUSED', 'refused', 401)), metrics);
    const res = await request(app).post('/hooks/in').expect(401);
    expect(res.body).toEqual({ error: { code: 'HOOK.REFUSED', message: 'refused' } });
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(await requestsFor(metrics, '/hooks/in')).toBe(1);
  });

  it('when the handler throws or rejects, then 500 INTERNAL in the contract body', async () => {
    const throwing = appWith(() => {
      throw new Error('boom');
    });
    expect((await request(throwing).post('/hooks/in').expect(500)).body.error.code).toBe('INTERNAL');
    const rejecting = appWith(async () => {
      throw new Error('boom');
    });
    expect((await request(rejecting).post('/hooks/in').expect(500)).body.error.code).toBe('INTERNAL');
  });

  it('when the handler calls next without an error, then 404 rather than a hung request', async () => {
    const res = await request(appWith((_req, _res, next) => next())).post('/hooks/in').expect(404);
    expect(res.body.error.code).toBe('HTTP.NOT_FOUND');
  });
});
