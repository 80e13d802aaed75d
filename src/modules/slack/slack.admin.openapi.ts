import { z } from 'zod';
import { errorResponse, jsonResponse, type ApiRoute } from '../../platform/openapi';
import { DEAD_LETTERS_MAX_LIMIT, type DeadLetter } from './slack.dead-letters';

/** The query GET /deliveries validates, and its answer, as /openapi.json describes them. */
export const deadLettersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(DEAD_LETTERS_MAX_LIMIT).optional().meta({ description: `At most ${DEAD_LETTERS_MAX_LIMIT}; default 50.` }),
});

const deadLetterSchema = z
  .object({
    id: z.string(),
    key: z.string().meta({ description: "The message's idempotency key" }),
    teamId: z.string(),
    channel: z.string(),
    text: z.string(),
    code: z.string().meta({ example: 'channel_not_found' }),
    reason: z.string(),
    attempts: z.number().int().nonnegative(),
    failedAt: z.string().meta({ description: 'ISO time' }),
  })
  .meta({ id: 'DeadLetter', description: 'A Slack message the delivery queue gave up on, with Slack’s reason' }) satisfies z.ZodType<DeadLetter>;

export const deadLettersResponseSchema = z.object({ deadLetters: z.array(deadLetterSchema) }).meta({ id: 'DeadLetters' });

/** createSlackAdminRouter's route, at `basePath` (the monolith mounts it at /api/admin). */
export function slackAdminApiRoutes(basePath: string): ApiRoute[] {
  return [
    {
      method: 'get',
      path: `${basePath}/deliveries`,
      tags: ['admin'],
      summary: 'Dead letters: Slack messages given up on, newest first',
      request: { query: deadLettersQuerySchema },
      responses: { 200: jsonResponse('The dead letters.', deadLettersResponseSchema), 400: errorResponse('HTTP.VALIDATION: limit is not a whole number within bounds.') },
    },
  ];
}
