import { Router } from 'express';
import { z } from 'zod';
import type { DevOutbox } from './slack.outbox';

const query = z.object({
  after: z.string().regex(/^\d{1,18}$/, 'must be a message id').optional(),
  channel: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/**
 * GET /outbox (mount at /dev, and only outside production): the replies that had no bot
 * token to go out with, for `npm run slack` and for people trying Jeeves without Slack.
 */
export function createDevOutboxRouter({ outbox }: { outbox: DevOutbox }): Router {
  const router = Router();
  router.get('/outbox', async (req, res) => {
    const { after, channel, limit } = query.parse(req.query);
    const messages = await outbox.list({
      ...(after === undefined ? {} : { after }),
      ...(channel === undefined ? {} : { channel }),
      ...(limit === undefined ? {} : { limit }),
    });
    res.json({ messages });
  });
  return router;
}
