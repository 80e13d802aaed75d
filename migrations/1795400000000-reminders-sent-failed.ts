import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reminder is `sent` once handed to the Slack delivery queue and `delivered` only once Slack
 * has it (or `failed`, when Slack refused it for good): a start-up after Redis lost the delivery
 * hands the sent ones over again.
 */
export class RemindersSentFailed1795400000000 implements MigrationInterface {
  name = 'RemindersSentFailed1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reminders_reminders DROP CONSTRAINT reminders_reminders_status_check`);
    await queryRunner.query(
      `ALTER TABLE reminders_reminders ADD CONSTRAINT reminders_reminders_status_check CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'cancelled'))`,
    );
    // Start-up recovery walks the sent ones too: few at any time, in a table that keeps every reminder.
    await queryRunner.query(`CREATE INDEX reminders_reminders_sent_idx ON reminders_reminders (id) WHERE status = 'sent'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX reminders_reminders_sent_idx`);
    // The old states knew no difference: a sent or failed reminder had counted as delivered.
    await queryRunner.query(`UPDATE reminders_reminders SET status = 'delivered' WHERE status IN ('sent', 'failed')`);
    await queryRunner.query(`ALTER TABLE reminders_reminders DROP CONSTRAINT reminders_reminders_status_check`);
    await queryRunner.query(`ALTER TABLE reminders_reminders ADD CONSTRAINT reminders_reminders_status_check CHECK (status IN ('pending', 'delivered', 'cancelled'))`);
  }
}
