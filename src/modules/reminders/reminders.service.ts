import { In, MoreThan } from 'typeorm';
import { PermanentJobError } from '../../platform/queue';
import { escapeMrkdwn, systemClock, type MemberRef, zoneOrUtc, type NotifierMessage } from '../../kernel';
import { ReminderEntity, toReminder, type ReminderRow } from './reminders.entity';
import { ReminderNotFoundError, ReminderNotPendingError } from './reminders.errors';
import { dueAtFor, parseReminderId, validText } from './reminders.rules';
import {
  DELIVER_REMINDER_JOB,
  REMINDERS_QUEUE,
  reminderIdOfKey,
  reminderKey,
  type ReminderStatus,
  type RemindersDependencies,
  type RemindersService,
} from './reminders.types';

const DAY_MS = 24 * 60 * 60 * 1000;
const RECOVERY_PAGE = 500;
const RECOVERY_PARALLEL = 50;
// Reminders cluster on round minutes; each job is a read, a queue add and a write.
const WORKER_CONCURRENCY = 4;

interface DeliverJobData {
  id: number;
}

function messageFor(row: ReminderRow): NotifierMessage {
  return {
    teamId: row.teamId,
    channel: row.channelId,
    // The member's words are escaped: "remind me to <!channel>" must not ping everyone.
    text: `:alarm_clock: Reminder for <@${row.userId}>: ${escapeMrkdwn(row.text)}`,
    ...(row.threadTs === null ? {} : { threadTs: row.threadTs }),
    key: reminderKey(row.id),
  };
}

export function createRemindersService(deps: RemindersDependencies): RemindersService {
  const { dataSource, queue, notifier, timezones, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const rows = () => dataSource.getRepository(ReminderEntity);
  const timezoneFor = async (ref: MemberRef) => zoneOrUtc(await timezones(ref));

  async function enqueue(row: Pick<ReminderRow, 'id' | 'dueAt'>): Promise<void> {
    const delayMs = Math.max(0, row.dueAt.getTime() - clock.now().getTime());
    const data: DeliverJobData = { id: row.id };
    await queue.add(REMINDERS_QUEUE, DELIVER_REMINDER_JOB, data, {
      idempotencyKey: reminderKey(row.id),
      delayMs,
      // Remembered while the job waits, and a day more: re-adding a waiting reminder is a no-op.
      idempotencyTtlMs: delayMs + DAY_MS,
    });
  }

  async function deliver(id: number): Promise<'sent' | 'skipped'> {
    const row = await rows().findOneBy({ id });
    if (!row || row.status !== 'pending') {
      logger.debug({ reminderId: id, status: row?.status ?? 'missing' }, 'reminder not pending; job skipped');
      return 'skipped';
    }
    // Hand over first, then mark: a crash in between re-runs the job, and the key stops a second post.
    // Delivery says when Slack has it (settle); until then a start-up hands it over again.
    await notifier(messageFor(row));
    await rows().update({ id, status: 'pending' }, { status: 'sent' });
    logger.info({ reminderId: id }, 'reminder handed to Slack delivery');
    return 'sent';
  }

  /** Calls `each` on every reminder in `status`, a page at a time, some at once; returns how many. */
  async function forEachIn(status: ReminderStatus, each: (row: ReminderRow) => Promise<void>): Promise<number> {
    let count = 0;
    for (let after = 0; ; ) {
      const page = await rows().find({ where: { status, id: MoreThan(after) }, order: { id: 'ASC' }, take: RECOVERY_PAGE });
      for (let i = 0; i < page.length; i += RECOVERY_PARALLEL) {
        await Promise.all(page.slice(i, i + RECOVERY_PARALLEL).map(each));
      }
      count += page.length;
      if (page.length < RECOVERY_PAGE) return count;
      after = page[page.length - 1]!.id;
    }
  }

  /** Hands a sent reminder over again: delivery posts it unless Slack already has it (posted no earlier than it was due). */
  const handOverAgain = (row: ReminderRow) => notifier({ ...messageFor(row), mayBePostedSince: row.dueAt.getTime() });

  return {
    async create(ref, target, what, when) {
      const text = validText(what);
      const timezone = await timezoneFor(ref);
      const dueAt = dueAtFor(when, timezone, clock.now());
      const row = await rows().save({
        teamId: ref.teamId,
        userId: ref.userId,
        channelId: target.channelId,
        threadTs: target.threadTs ?? null,
        text,
        dueAt,
        status: 'pending',
        deliveredAt: null,
      });
      try {
        await enqueue(row);
      } catch (err) {
        // Told it failed, the member must not get it anyway at the next start-up recovery.
        await rows().update({ id: row.id, status: 'pending' }, { status: 'cancelled' });
        throw err;
      }
      logger.info({ reminderId: row.id, dueAt: dueAt.toISOString() }, 'reminder created');
      return { ...toReminder(row), timezone };
    },

    async list(ref) {
      const found = await rows().find({
        where: { teamId: ref.teamId, userId: ref.userId, status: 'pending' },
        order: { dueAt: 'ASC', id: 'ASC' },
      });
      return found.map(toReminder);
    },

    async cancel(ref, idText) {
      const id = parseReminderId(idText);
      const row = id === undefined ? null : await rows().findOneBy({ id, teamId: ref.teamId, userId: ref.userId });
      if (!row) throw new ReminderNotFoundError(idText.trim());
      if (row.status !== 'pending') throw new ReminderNotPendingError(row.id, row.status);
      const result = await rows().update({ id: row.id, status: 'pending' }, { status: 'cancelled' });
      // Lost a race with its delivery.
      if (!result.affected) throw new ReminderNotPendingError(row.id, 'sent');
      // Nothing to take off the queue: the job finds the row cancelled and skips.
      return toReminder({ ...row, status: 'cancelled' });
    },

    async forget(ref) {
      const result = await rows().delete({ teamId: ref.teamId, userId: ref.userId });
      const count = result.affected ?? 0;
      if (count > 0) logger.info({ teamId: ref.teamId, userId: ref.userId, count }, 'reminders forgotten');
      return count;
    },

    deliver,

    async settle(key, outcome) {
      const id = reminderIdOfKey(key);
      if (id === undefined) return false;
      // From pending too: delivery can finish before the job that handed the message over has marked it sent.
      const change = outcome === 'posted' ? { status: 'delivered' as const, deliveredAt: clock.now() } : { status: 'failed' as const };
      const result = await rows().update({ id, status: In(['pending', 'sent']) }, change);
      if (result.affected) logger.info({ reminderId: id, status: change.status }, `reminder ${change.status}`);
      return Boolean(result.affected);
    },

    async recoverPending() {
      const pending = await forEachIn('pending', enqueue);
      const sent = await forEachIn('sent', handOverAgain);
      logger.info({ pending, sent }, 'pending reminders re-enqueued; sent ones handed to delivery again');
      return pending + sent;
    },

    timezoneFor,

    start() {
      queue.work<unknown>(REMINDERS_QUEUE, async (job) => {
        const id = (job.data as Partial<DeliverJobData> | null)?.id;
        if (typeof id !== 'number') throw new PermanentJobError(`reminders job ${job.id} carries no reminder id`);
        await deliver(id);
      }, { concurrency: WORKER_CONCURRENCY });
    },
  };
}
