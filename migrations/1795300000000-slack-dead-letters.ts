import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Messages the delivery queue gave up on (permanent Slack error, or retries spent), for admins. */
export class SlackDeadLetters1795300000000 implements MigrationInterface {
  name = 'SlackDeadLetters1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE slack_dead_letters (
        id bigserial PRIMARY KEY,
        key text NOT NULL UNIQUE,
        team_id text NOT NULL,
        channel text NOT NULL,
        text text NOT NULL,
        code text NOT NULL,
        reason text NOT NULL,
        attempts integer NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE slack_dead_letters`);
  }
}
