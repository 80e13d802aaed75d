import { z } from 'zod';

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
