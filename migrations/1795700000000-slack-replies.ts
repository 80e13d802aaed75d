import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each message Jeeves answered: when it came in and when its reply was posted (usage and reply latency). */
export class SlackReplies1795700000000 implements MigrationInterface {
  name = 'SlackReplies1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE slack_replies (
        key text PRIMARY KEY,
        team_id text NOT NULL,
        received_at timestamptz NOT NULL,
        replied_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX slack_replies_received_at ON slack_replies (received_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE slack_replies`);
  }
}
