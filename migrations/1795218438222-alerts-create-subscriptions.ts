import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The alerts module's one table: a daily weather alert per member, at their local time. */
export class AlertsCreateSubscriptions1795218438222 implements MigrationInterface {
  name = 'AlertsCreateSubscriptions1795218438222';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alerts_subscriptions (
        team_id text NOT NULL,
        user_id text NOT NULL,
        channel_id text NOT NULL,
        -- The member's wall-clock time; the zone is kept beside it so the schedule can be rebuilt.
        local_time text NOT NULL,
        timezone text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT alerts_subscriptions_pkey PRIMARY KEY (team_id, user_id),
        CONSTRAINT alerts_subscriptions_local_time_check CHECK (local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
      )`);
    // Start-up recovery re-creates the schedule of every enabled alert.
    await queryRunner.query(`CREATE INDEX alerts_subscriptions_enabled_idx ON alerts_subscriptions (team_id, user_id) WHERE enabled`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE alerts_subscriptions`);
  }
}
