import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The auth module's tables: who holds which role, and the web sessions (the layout
 * connect-pg-simple reads and writes; created here so no process creates tables at run time).
 */
export class AuthCreateTables1795520000000 implements MigrationInterface {
  name = 'AuthCreateTables1795520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE auth_role_grants (
        team_id text NOT NULL,
        user_id text NOT NULL,
        -- 'admin' of the member's own workspace (team_id), or 'operator' of the whole deployment.
        role text NOT NULL,
        -- 'T…:U…' for a member who granted it, 'install' or 'command' otherwise.
        granted_by text NOT NULL,
        granted_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT auth_role_grants_pkey PRIMARY KEY (team_id, user_id, role),
        CONSTRAINT auth_role_grants_role CHECK (role IN ('admin', 'operator'))
      )`);
    // "Is there an operator yet?" and the operator list.
    await queryRunner.query(`CREATE INDEX auth_role_grants_role_idx ON auth_role_grants (role)`);
    await queryRunner.query(`
      CREATE TABLE auth_sessions (
        sid text NOT NULL,
        sess json NOT NULL,
        expire timestamptz(6) NOT NULL,
        CONSTRAINT auth_sessions_pkey PRIMARY KEY (sid)
      )`);
    // The store's pruning deletes by expiry.
    await queryRunner.query(`CREATE INDEX auth_sessions_expire_idx ON auth_sessions (expire)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE auth_sessions`);
    await queryRunner.query(`DROP TABLE auth_role_grants`);
  }
}
