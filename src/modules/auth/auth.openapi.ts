import { z } from 'zod';
import { jsonResponse, type ApiRoute } from '../../platform/openapi';
import { SESSION_API_PATH } from './auth.routes';
import { ROLES, type Member } from './auth.types';

const memberSchema = z
  .object({ teamId: z.string(), userId: z.string(), name: z.string().optional(), email: z.string().optional() })
  .meta({ id: 'Member' }) satisfies z.ZodType<Member>;

export const sessionResponseSchema = z
  .object({
    member: memberSchema,
    roles: z.array(z.enum(ROLES as [string, ...string[]])),
    csrfToken: z.string().meta({ description: 'Send it as X-CSRF-Token on state-changing calls' }),
  })
  .meta({ id: 'Session' });

/** The auth router's JSON route (the rest are pages and redirects). */
export function authApiRoutes(): ApiRoute[] {
  return [
    {
      method: 'get',
      path: SESSION_API_PATH,
      tags: ['auth'],
      summary: 'The signed-in member, their roles, and the CSRF token a JSON client sends',
      responses: { 200: jsonResponse('The session. Not cacheable.', sessionResponseSchema) },
    },
  ];
}
