import { z } from 'zod';
import { AUDIT_MAX_LIMIT } from './audit.log';

/** One audit row as GET /api/admin/audit answers it. */
export const auditRecordSchema = z.object({
  id: z.string().regex(/^\d+$/),
  at: z.string().datetime(),
  actor: z.string().min(1),
  teamId: z.string().nullable(),
  action: z.enum(['placement', 'dead-letter-retry', 'dead-letter-discard', 'promote', 'demote']),
  target: z.string().min(1),
  before: z.unknown(),
  after: z.unknown(),
});

export const auditListSchema = z.object({ entries: z.array(auditRecordSchema) });

/** GET /api/admin/audit's query: one workspace's entries, at most `limit` of them. */
export const auditQuerySchema = z.object({
  teamId: z.string().regex(/^T[A-Z0-9]{1,20}$/).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).optional(),
});
