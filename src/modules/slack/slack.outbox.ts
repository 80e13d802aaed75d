import type { DataSource } from 'typeorm';
import { SlackDeliveryEntity, SlackDevOutboxEntity } from './slack.entities';
import type { OutgoingSlackMessage } from './slack.types';

/** A reply kept for development, as `GET /dev/outbox` shows it. */
export interface DevOutboxMessage {
  /** Increasing; pass the last one seen as `after` to get only newer messages. */
  id: string;
  teamId: string;
  channel: string;
  threadTs: string | null;
  text: string;
  createdAt: string;
}

export interface DevOutboxQuery {
  /** Only messages with a larger id; without it, the latest `limit` messages. */
  after?: string;
  channel?: string;
  limit?: number;
}

/** Where replies go when a workspace has no bot token: a table `npm run slack` reads. */
export interface DevOutbox {
  /** Writes the message and records its key in one transaction; false when the key was already delivered. */
  deliver(message: OutgoingSlackMessage): Promise<boolean>;
  /** Oldest first. */
  list(query: DevOutboxQuery): Promise<DevOutboxMessage[]>;
}

export const DEV_OUTBOX_MAX_LIMIT = 100;

export function createDevOutbox(dataSource: DataSource): DevOutbox {
  return {
    async deliver({ key, teamId, channel, text, threadTs }) {
      // One transaction, so the outbox holds each key's message exactly once, even across retries.
      return dataSource.transaction(async (manager) => {
        const claimed = await manager
          .createQueryBuilder()
          .insert()
          .into(SlackDeliveryEntity)
          .values({ key, teamId, channel, ts: null })
          .orIgnore()
          .returning('key')
          .execute();
        if (claimed.raw.length === 0) return false;
        await manager.insert(SlackDevOutboxEntity, { teamId, channel, text, threadTs: threadTs ?? null });
        return true;
      });
    },
    async list({ after, channel, limit = DEV_OUTBOX_MAX_LIMIT }) {
      const take = Math.min(Math.max(1, limit), DEV_OUTBOX_MAX_LIMIT);
      const query = dataSource.getRepository(SlackDevOutboxEntity).createQueryBuilder('m');
      if (channel !== undefined) query.andWhere('m.channel = :channel', { channel });
      if (after !== undefined) query.andWhere('m.id > :after', { after }).orderBy('m.id', 'ASC');
      else query.orderBy('m.id', 'DESC');
      const rows = await query.limit(take).getMany();
      if (after === undefined) rows.reverse();
      return rows.map((row) => ({
        id: String(row.id),
        teamId: row.teamId,
        channel: row.channel,
        threadTs: row.threadTs,
        text: row.text,
        createdAt: row.createdAt.toISOString(),
      }));
    },
  };
}
