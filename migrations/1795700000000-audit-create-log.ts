import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit module's table: every admin action, who did it, and what it changed. */
export class AuditCreateLog1795700000000 implements MigrationInterface {
  name = 'AuditCreateLog1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE admin_audit_log (
        id bigserial NOT NULL,
        at timestamptz(3) NOT NULL DEFAULT now(),
        -- "T…/U…" of a signed-in member, or "service:<client id>".
        actor text NOT NULL,
        -- The workspace acted on; NULL for deployment-wide actions.
        team_id text,
        action text NOT NULL,
        target text NOT NULL,
        before jsonb,
        after jsonb,
        CONSTRAINT admin_audit_log_pkey PRIMARY KEY (id)
      )`);
    // Newest first, all of them or one workspace's.
    await queryRunner.query(`CREATE INDEX admin_audit_log_team_idx ON admin_audit_log (team_id, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE admin_audit_log`);
  }
}
