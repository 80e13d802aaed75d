import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { toAppError } from '../../platform/errors';
import type { Auth } from '../auth';
import { teamIdSchema } from '../users';
import type { Viewer } from './dashboard.workspace-types';

export type ViewerAuth = Pick<Auth, 'requireRole' | 'currentMember' | 'roles'>;

/** The admin door of the workspace panels: a workspace admin (own workspace), an operator, or an admin service token. */
export function adminDoor(auth: ViewerAuth, team: (req: Request) => string | undefined, serviceToken?: RequestHandler): RequestHandler {
  return auth.requireRole('admin', { team, ...(serviceToken ? { serviceToken } : {}) });
}

/** Who passed the door. A request with no session came with an admin service token: operator rights. */
export async function viewerOf(auth: ViewerAuth, req: Request): Promise<Viewer> {
  const member = auth.currentMember(req);
  if (!member) return { operator: true, teamId: null, actor: 'service:admin' };
  const held = await auth.roles.rolesOf(member.teamId, member.userId);
  return { operator: held.includes('operator'), teamId: member.teamId, actor: `${member.teamId}/${member.userId}` };
}

export const teamQuery = (req: Request): string | undefined => (typeof req.query.team === 'string' && req.query.team !== '' ? req.query.team : undefined);
export const teamParam = (req: Request): string | undefined => (typeof req.params.teamId === 'string' ? req.params.teamId : undefined);

export const deadLettersQuery = z.object({ team: teamIdSchema.optional(), limit: z.coerce.number().int().min(1).max(500).optional() });
export const membersQuery = z.object({
  team: teamIdSchema.optional(),
  q: z.string().trim().max(100).optional().transform((q) => (q ? q : undefined)),
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export const usageQuery = z.object({ team: teamIdSchema.optional(), days: z.coerce.number().int().min(1).max(90).optional() });
export const workspacesQuery = z.object({ team: teamIdSchema.optional() });

/** Validated query options with no undefined members (exactOptionalPropertyTypes). */
export function queryOf<S extends z.ZodType>(schema: S, query: unknown): { [K in keyof z.output<S>]: Exclude<z.output<S>[K], undefined> } {
  const result = schema.safeParse(query);
  if (!result.success) throw toAppError(result.error);
  return Object.fromEntries(Object.entries(result.data as Record<string, unknown>).filter(([, v]) => v !== undefined)) as never;
}
