import type { DataSource } from 'typeorm';
import { SlackDeliveryEntity } from './slack.entities';

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

export function createDeliveryLedger(dataSource: DataSource): DeliveryLedger {
  const repository = dataSource.getRepository(SlackDeliveryEntity);
  return {
    async isDelivered(key) {
      return repository.existsBy({ key });
    },
    async record(record) {
      await repository.createQueryBuilder().insert().values(record).orIgnore().execute();
    },
  };
}
