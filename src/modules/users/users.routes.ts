import { Router } from 'express';
import { serveReads } from '../../platform/fast-path';
import {
  getOrCreateBodySchema,
  parseInput,
  settingParamsSchema,
  settingValueBodySchema,
  userLocationSchema,
  userRefSchema,
} from './users.schemas';
import { USERS_READS } from './users.reads';
import { settingFor } from './users.settings';
import type { UsersService } from './users.types';

/**
 * The users module over HTTP: what the monolith mounts at /api/users and the extracted
 * users service serves. Thin: validate, call the service, shape the answer. Errors,
 * thrown or rejected, reach the app's error middleware (Express 5 forwards rejections).
 */
export function usersRouter({ users }: { users: UsersService }): Router {
  // The reads first: declared once in users.reads.ts, for this router, a service's fast path and the OpenAPI document.
  const router = serveReads(Router(), USERS_READS, { users });

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

  return router;
}
