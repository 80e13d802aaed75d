import { EntitySchema } from 'typeorm';
import type { AlertSubscription } from './alerts.types';

/** One row of alerts_subscriptions, as the service reads it. Never leaves the module. */
export interface AlertSubscriptionRow {
  teamId: string;
  userId: string;
  channelId: string;
  localTime: string;
  timezone: string;
  enabled: boolean;
  updatedAt: Date;
}

/** Mirrors the migration, so TypeORM never wants to change the table. */
export const AlertSubscriptionEntity = new EntitySchema<AlertSubscriptionRow>({
  name: 'AlertSubscription',
  tableName: 'alerts_subscriptions',
  columns: {
    teamId: { name: 'team_id', type: 'text', primary: true },
    userId: { name: 'user_id', type: 'text', primary: true },
    channelId: { name: 'channel_id', type: 'text' },
    localTime: { name: 'local_time', type: 'text' },
    timezone: { type: 'text' },
    enabled: { type: 'boolean', default: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' },
  },
  indices: [{ name: 'alerts_subscriptions_enabled_idx', columns: ['teamId', 'userId'], where: 'enabled' }],
  checks: [{ name: 'alerts_subscriptions_local_time_check', expression: "local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'" }],
});

export const alertsEntities: EntitySchema[] = [AlertSubscriptionEntity as EntitySchema];

export function toSubscription(row: AlertSubscriptionRow): AlertSubscription {
  return {
    teamId: row.teamId,
    userId: row.userId,
    channelId: row.channelId,
    localTime: row.localTime,
    timezone: row.timezone,
    enabled: row.enabled,
    updatedAt: row.updatedAt.toISOString(),
  };
}
