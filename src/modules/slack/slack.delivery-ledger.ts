import type { DataSource } from 'typeorm';

export interface DeliveredRecord {
  key: string;
  teamId: string;
  channel: string;
  ts: string | null;
}

/**
 * Which message keys already reached Slack. The queue is at-least-once: a job can run again
 * after its post succeeded (worker killed before it acknowledged); the ledger turns that
 * second run into a no-op.
 */
export interface DeliveryLedger {
  isDelivered(key: string): Promise<boolean>;
  /** Idempotent: recording a key twice keeps the first record. */
  record(record: DeliveredRecord): Promise<void>;
}

/**
 * Plain parameterised SQL on slack_deliveries (SlackDeliveryEntity's table): both statements run
 * once per outgoing message, and TypeORM's existsBy and QueryBuilder cost 3× their CPU.
 */
export function createDeliveryLedger(dataSource: DataSource): DeliveryLedger {
  return {
    async isDelivered(key) {
      const rows = (await dataSource.query('SELECT 1 FROM slack_deliveries WHERE key = $1', [key])) as unknown[];
      return rows.length > 0;
    },
    async record({ key, teamId, channel, ts }) {
      await dataSource.query('INSERT INTO slack_deliveries (key, team_id, channel, ts) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING', [key, teamId, channel, ts]);
    },
  };
}
