import type { DataSource } from 'typeorm';
import type { AdminAction, AuditEntry, AuditLog, AuditRecord } from '../dashboard';

export interface AuditLogOptions {
  dataSource: DataSource;
}

export const AUDIT_DEFAULT_LIMIT = 50;
export const AUDIT_MAX_LIMIT = 500;

interface AuditSqlRow {
  id: string;
  at: Date;
  actor: string;
  team_id: string | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

const bounded = (limit: number | undefined): number => Math.min(Math.max(1, Math.floor(limit ?? AUDIT_DEFAULT_LIMIT)), AUDIT_MAX_LIMIT);

/** The audit log over admin_audit_log: rows are only ever added, and read newest first. */
export function createAuditLog({ dataSource }: AuditLogOptions): AuditLog {
  return {
    async record({ actor, teamId, action, target, before, after }: AuditEntry) {
      // jsonb: undefined is stored as SQL NULL, anything else as its JSON.
      const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
      await dataSource.query(`INSERT INTO admin_audit_log (actor, team_id, action, target, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`, [
        actor,
        teamId,
        action,
        target,
        json(before),
        json(after),
      ]);
    },
    async list(options = {}) {
      const limit = bounded(options.limit);
      const rows = (
        options.teamId === undefined
          ? await dataSource.query(`SELECT id, at, actor, team_id, action, target, before, after FROM admin_audit_log ORDER BY id DESC LIMIT $1`, [limit])
          : await dataSource.query(`SELECT id, at, actor, team_id, action, target, before, after FROM admin_audit_log WHERE team_id = $1 ORDER BY id DESC LIMIT $2`, [options.teamId, limit])
      ) as AuditSqlRow[];
      return rows.map(
        (r): AuditRecord => ({
          id: String(r.id),
          at: new Date(r.at).toISOString(),
          actor: r.actor,
          teamId: r.team_id,
          action: r.action as AdminAction,
          target: r.target,
          before: r.before,
          after: r.after,
        }),
      );
    },
  };
}
