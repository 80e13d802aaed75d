/**
 * The audit module's face: every admin action (placement change, dead-letter retry or discard,
 * promotion), who did it and what it changed, kept in PostgreSQL (admin_audit_log). It
 * implements the dashboard's AuditLog port.
 */
export { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, createAuditLog, type AuditLogOptions } from './audit.log';
export { auditListSchema, auditQuerySchema, auditRecordSchema } from './audit.schemas';
