import { EntitySchema } from 'typeorm';
import type { Reminder, ReminderStatus } from './reminders.types';

/** One row of reminders_reminders, as the service reads it. Never leaves the module. */
export interface ReminderRow {
  id: number;
  teamId: string;
  userId: string;
  channelId: string;
  threadTs: string | null;
  text: string;
  dueAt: Date;
  status: ReminderStatus;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** Mirrors the migration, so TypeORM never wants to change the table. */
export const ReminderEntity = new EntitySchema<ReminderRow>({
  name: 'Reminder',
  tableName: 'reminders_reminders',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    teamId: { name: 'team_id', type: 'text' },
    userId: { name: 'user_id', type: 'text' },
    channelId: { name: 'channel_id', type: 'text' },
    threadTs: { name: 'thread_ts', type: 'text', nullable: true },
    text: { type: 'text' },
    dueAt: { name: 'due_at', type: 'timestamptz', precision: 3 },
    status: { type: 'text', default: 'pending' },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    deliveredAt: { name: 'delivered_at', type: 'timestamptz', precision: 3, nullable: true },
  },
  indices: [
    { name: 'reminders_reminders_member_pending_idx', columns: ['teamId', 'userId', 'dueAt'], where: "status = 'pending'" },
    { name: 'reminders_reminders_pending_idx', columns: ['id'], where: "status = 'pending'" },
    { name: 'reminders_reminders_sent_idx', columns: ['id'], where: "status = 'sent'" },
  ],
  checks: [
    { name: 'reminders_reminders_status_check', expression: "status IN ('pending', 'sent', 'delivered', 'failed', 'cancelled')" },
    { name: 'reminders_reminders_text_check', expression: 'char_length(text) BETWEEN 1 AND 500' },
  ],
});

export const remindersEntities: EntitySchema[] = [ReminderEntity as EntitySchema];

export function toReminder(row: ReminderRow): Reminder {
  return {
    id: row.id,
    teamId: row.teamId,
    userId: row.userId,
    channelId: row.channelId,
    threadTs: row.threadTs,
    text: row.text,
    dueAt: row.dueAt.toISOString(),
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt ? row.deliveredAt.toISOString() : null,
  };
}
