import { EntitySchema } from 'typeorm';

/**
 * A message written to the dev outbox: its key is never written again. (Messages posted to
 * Slack need no row: a later try finds them in the channel by the key in their metadata.)
 */
export interface SlackDeliveryRow {
  key: string;
  teamId: string;
  channel: string;
  /** Null: the dev outbox has no Slack ts. (Kept from when Slack posts were recorded here too.) */
  ts: string | null;
  deliveredAt: Date;
}

export const SlackDeliveryEntity = new EntitySchema<SlackDeliveryRow>({
  name: 'SlackDelivery',
  tableName: 'slack_deliveries',
  columns: {
    key: { type: 'text', primary: true },
    teamId: { name: 'team_id', type: 'text' },
    channel: { type: 'text' },
    ts: { type: 'text', nullable: true },
    deliveredAt: { name: 'delivered_at', type: 'timestamptz', createDate: true },
  },
});

/** A reply that had no bot token to go out with: kept for `npm run slack` to read. */
export interface SlackDevOutboxRow {
  /** bigserial: pg returns it as a string. */
  id: string;
  teamId: string;
  channel: string;
  threadTs: string | null;
  text: string;
  createdAt: Date;
}

export const SlackDevOutboxEntity = new EntitySchema<SlackDevOutboxRow>({
  name: 'SlackDevOutbox',
  tableName: 'slack_dev_outbox',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    teamId: { name: 'team_id', type: 'text' },
    channel: { type: 'text' },
    threadTs: { name: 'thread_ts', type: 'text', nullable: true },
    text: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
  indices: [{ name: 'slack_dev_outbox_channel_id', columns: ['channel', 'id'] }],
});

export const slackEntities: EntitySchema[] = [SlackDeliveryEntity as EntitySchema, SlackDevOutboxEntity as EntitySchema];
