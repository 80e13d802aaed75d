import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The slack module's tables: the exactly-once ledger of delivered replies, and the dev outbox. */
export class SlackDeliveries1795218368275 implements MigrationInterface {
  name = 'SlackDeliveries1795218368275';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE slack_deliveries (
        key text PRIMARY KEY,
        team_id text NOT NULL,
        channel text NOT NULL,
        ts text,
        delivered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE slack_dev_outbox (
        id bigserial PRIMARY KEY,
        team_id text NOT NULL,
        channel text NOT NULL,
        thread_ts text,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX slack_dev_outbox_channel_id ON slack_dev_outbox (channel, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE slack_dev_outbox`);
    await queryRunner.query(`DROP TABLE slack_deliveries`);
  }
}
