import { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../src/platform/app';
import { AppError } from '../../src/platform/errors';
import { readApiRoutes, serveReads, type ReadRoute } from '../../src/platform/fast-path';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { errorResponse } from '../../src/platform/openapi';

const logger = createLogger({ level: 'silent', name: 'test' });
const thingSchema = z.object({ id: z.string(), by: z.string() });
const paramsSchema = z.object({ id: z.string() });

type Deps = { by: string };
const READS: Array<ReadRoute<Deps>> = [
  {
    path: '/:id',
    summary: 'One thing',
    request: { params: paramsSchema },
    response: { description: 'The thing.', schema: thingSchema },
    otherResponses: { 404: errorResponse('THINGS.NOT_FOUND') },
    handler: ({ by }) => ({ json: async (req) => ({ id: paramsSchema.parse(req.params).id, by }) }),
  },
];

function appWith(fast: { authenticate: () => Promise<void> | undefined } | undefined) {
  const router = serveReads(Router(), READS, { by: 'declared' });
  return createApp({
    logger,
    metrics: createMetrics({ defaults: false }),
    readiness: {},
    routes: [{ path: '/api/things', router }],
    ...(fast ? { fastReads: { publicPaths: [], authenticate: fast.authenticate } } : {}),
  });
}

describe('reads declared once (serveReads, readApiRoutes)', () => {
  it('given a declared read, then the module router answers it as a GET', async () => {
    const res = await request(appWith(undefined)).get('/api/things/T1').expect(200);
    expect(res.body).toEqual({ id: 'T1', by: 'declared' });
  });

  it('given the fast path, then the read is answered after the authenticate check, and refused when it fails', async () => {
    const authenticate = jest.fn<Promise<void> | undefined, []>(() => undefined);
    const app = appWith({ authenticate });
    expect((await request(app).get('/api/things/T1').expect(200)).body).toEqual({ id: 'T1', by: 'declared' });
    // Percent-encoded: left to the router, which decodes it.
    expect((await request(app).get('/api/things/T%31').expect(200)).body).toEqual({ id: 'T1', by: 'declared' });
    expect(authenticate).toHaveBeenCalledTimes(2);
    authenticate.mockImplementation(() => Promise.reject(new AppError('AUTH.INVALID_TOKEN', 'no', 401)));
    expect((await request(app).get('/api/things/T1').expect(401)).body.error.code).toBe('AUTH.INVALID_TOKEN');
  });

  it('documents each read under the mount: params as {name}, the 200 from the response schema, the other answers as declared', () => {
    const [route, ...rest] = readApiRoutes('/api/things', READS, ['things']);
    expect(rest).toEqual([]);
    expect(route).toMatchObject({ method: 'get', path: '/api/things/{id}', tags: ['things'], summary: 'One thing', request: { params: paramsSchema } });
    expect(route?.responses[200]).toEqual({ description: 'The thing.', content: { 'application/json': { schema: thingSchema } } });
    expect(Object.keys(route?.responses ?? {})).toEqual(['200', '404']);
  });
});
