import { Router, type RequestHandler } from 'express';
import { deadLettersQuerySchema } from './slack.admin.openapi';
import type { DeadLetters } from './slack.dead-letters';

export interface SlackAdminRouterOptions {
  deadLetters: DeadLetters;
  /**
   * Guards every route. There is no sign-in yet, so in production the monolith passes a
   * service-token check for audience 'admin'; without it (development, tests) the routes are open.
   */
  auth?: RequestHandler;
}

/** GET /deliveries (mount at /api/admin): the dead-letter list, newest first. */
export function createSlackAdminRouter({ deadLetters, auth }: SlackAdminRouterOptions): Router {
  const router = Router();
  // On the route, not router.use: mounted at /api/admin, a use() would guard every admin route after it.
  const guards: RequestHandler[] = auth ? [auth] : [];
  router.get('/deliveries', ...guards, async (req, res) => {
    const { limit } = deadLettersQuerySchema.parse(req.query);
    res.json({ deadLetters: await deadLetters.list(limit) });
  });
  return router;
}
