/**
 * The audit module's face: every admin action (placement change, dead-letter retry or discard,
 * promotion), who did it and what it changed, kept in PostgreSQL (admin_audit_log). It
 * implements the dashboard's AuditLog port.
 */
export { createAuditLog } from './audit.log';
export { auditListSchema, auditQuerySchema } from './audit.schemas';
