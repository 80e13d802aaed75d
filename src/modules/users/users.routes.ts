import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { serveFastReads, type FastReadRequest } from '../../platform/service-fast-path';
import { matchesIfNoneMatch, weakEtag } from './users.etag';
import {
  getOrCreateBodySchema,
  listQuerySchema,
  parseInput,
  settingParamsSchema,
  settingValueBodySchema,
  userLocationSchema,
  userRefSchema,
} from './users.schemas';
import { settingFor } from './users.settings';
import type { UsersService } from './users.types';

/**
 * A read the client may revalidate: a weak ETag of the exact JSON sent, and 304 with no
 * body when the client already holds it. Set here, not left to Express's `etag` setting,
 * so an app that turns that off does not silently lose it. Written on Node's response (the
 * headers res.type and res.send would set), so the router and an extracted service's fast
 * path answer alike.
 */
function sendCacheable(req: Pick<FastReadRequest, 'method' | 'headers'>, res: ServerResponse, payload: unknown): void {
  const body = JSON.stringify(payload);
  const etag = weakEtag(body);
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(Buffer.byteLength(body)));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/**
 * The users module over HTTP: what the monolith mounts at /api/users and the extracted
 * users service serves. Thin: validate, call the service, shape the answer. Errors,
 * thrown or rejected, reach the app's error middleware (Express 5 forwards rejections).
 */
export function usersRouter({ users }: { users: UsersService }): Router {
  const router = Router();

  // The reads, each written once for the router and for a service's fast path (serveFastReads below).
  const list = async (req: FastReadRequest, res: ServerResponse) => {
    sendCacheable(req, res, await users.list(parseInput(listQuerySchema, req.query)));
  };
  const get = async (req: FastReadRequest, res: ServerResponse) => {
    sendCacheable(req, res, await users.get(parseInput(userRefSchema, req.params)));
  };
  const listSettings = async (req: FastReadRequest, res: ServerResponse) => {
    sendCacheable(req, res, { settings: await users.listSettings(parseInput(userRefSchema, req.params)) });
  };
  const getSetting = async (req: FastReadRequest, res: ServerResponse) => {
    const { key, ...ref } = parseInput(settingParamsSchema, req.params);
    const value = await users.getSetting(ref, key);
    sendCacheable(req, res, { key: settingFor(key).key, value });
  };

  router.get('/', list);
  router.get('/:teamId/:userId', get);

  // PUT because it is idempotent: a retried call finds the member the first one created.
  router.put('/:teamId/:userId', async (req, res) => {
    const ref = parseInput(userRefSchema, req.params);
    // Express 5 leaves req.body undefined when no body was sent; none is needed here.
    res.json(await users.getOrCreate(ref, parseInput(getOrCreateBodySchema, req.body ?? {})));
  });

  // Idempotent: forgetting a member already forgotten answers forgotten: false.
  router.delete('/:teamId/:userId', async (req, res) => {
    res.json({ forgotten: await users.forget(parseInput(userRefSchema, req.params)) });
  });

  router.put('/:teamId/:userId/location', async (req, res) => {
    const ref = parseInput(userRefSchema, req.params);
    res.json(await users.setLocation(ref, parseInput(userLocationSchema, req.body)));
  });

  router.delete('/:teamId/:userId/location', async (req, res) => {
    res.json({ removed: await users.unsetLocation(parseInput(userRefSchema, req.params)) });
  });

  router.get('/:teamId/:userId/settings', listSettings);
  router.get('/:teamId/:userId/settings/:key', getSetting);

  router.put('/:teamId/:userId/settings/:key', async (req, res) => {
    const { key, ...ref } = parseInput(settingParamsSchema, req.params);
    const { value } = parseInput(settingValueBodySchema, req.body);
    res.json(await users.setSetting(ref, key, value));
  });

  router.delete('/:teamId/:userId/settings/:key', async (req, res) => {
    const { key, ...ref } = parseInput(settingParamsSchema, req.params);
    const removed = await users.unsetSetting(ref, key);
    res.json({ key: settingFor(key).key, removed });
  });

  return serveFastReads(router, [
    { path: '/', answer: list },
    { path: '/:teamId/:userId', answer: get },
    { path: '/:teamId/:userId/settings', answer: listSettings },
    { path: '/:teamId/:userId/settings/:key', answer: getSetting },
  ]);
}
