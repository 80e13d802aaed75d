import { PermanentJobError } from '../../platform/queue';
import { localDate, systemClock, zoneOrUtc, type MemberRef } from '../../kernel';
import { AlertSubscriptionEntity, toSubscription, type AlertSubscriptionRow } from './alerts.entity';
import { canonicalAlertTime, dailyCronPattern, nextAlertAt } from './alerts.time';
import {
  ALERTS_QUEUE,
  alertMessageKey,
  alertScheduleId,
  DEFAULT_ALERT_TIME,
  SEND_ALERT_JOB,
  type AlertsDependencies,
  type AlertsService,
  type ScheduledAlert,
} from './alerts.types';

const RECOVERY_PAGE = 500;
// Alerts cluster on favourite times (07:30); each waits on a weather lookup.
const WORKER_CONCURRENCY = 4;

export function createAlertsService(deps: AlertsDependencies): AlertsService {
  const { dataSource, queue, notifier, weather, timezones, answered, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const rows = () => dataSource.getRepository(AlertSubscriptionEntity);
  const refOf = ({ teamId, userId }: MemberRef): MemberRef => ({ teamId, userId });
  const find = (ref: MemberRef) => rows().findOneBy(refOf(ref));

  /** Creates or replaces the member's one schedule: a cron tick in their zone, so DST is the engine's job. */
  async function schedule(row: AlertSubscriptionRow): Promise<ScheduledAlert> {
    const ref = refOf(row);
    await queue.upsertSchedule(
      ALERTS_QUEUE,
      alertScheduleId(ref),
      { pattern: dailyCronPattern(row.localTime), tz: row.timezone },
      { name: SEND_ALERT_JOB, data: ref },
    );
    return { ...toSubscription(row), nextAt: nextAlertAt(row.localTime, row.timezone, clock.now()).toISOString() };
  }

  async function rescheduleFor(ref: MemberRef): Promise<ScheduledAlert | null> {
    const row = await find(ref);
    if (!row?.enabled) return null;
    const timezone = zoneOrUtc(await timezones(ref));
    if (timezone !== row.timezone) {
      row.timezone = timezone;
      row.updatedAt = clock.now();
      await rows().update(refOf(ref), { timezone, updatedAt: row.updatedAt });
      logger.info({ ...refOf(ref), timezone }, 'daily alert moved to a new time zone');
    }
    return schedule(row);
  }

  async function send(ref: MemberRef): Promise<'sent' | 'skipped'> {
    const row = await find(ref);
    if (!row?.enabled) {
      // A schedule that outlived its subscription (a crash between the two writes): tidy it up.
      await queue.removeSchedule(ALERTS_QUEUE, alertScheduleId(ref));
      logger.info(refOf(ref), 'alert tick for a disabled subscription; schedule removed');
      return 'skipped';
    }
    if (answered && !(await answered(row.teamId))) {
      logger.info(refOf(ref), 'alert tick skipped: the workspace removed Jeeves');
      return 'skipped';
    }
    const text = await weather(refOf(ref));
    // Keyed by the member's local day: a duplicate tick, or a retry, the same day posts nothing.
    const key = alertMessageKey(ref, localDate(clock.now(), row.timezone));
    await notifier({ teamId: row.teamId, channel: row.channelId, text: `:sunrise: Your daily weather:\n${text}`, key });
    logger.info({ ...refOf(ref), key }, 'daily alert sent');
    return 'sent';
  }

  return {
    async enable(ref, channelId, localTime = DEFAULT_ALERT_TIME) {
      const time = canonicalAlertTime(localTime);
      const timezone = zoneOrUtc(await timezones(ref));
      const row: AlertSubscriptionRow = { ...refOf(ref), channelId, localTime: time, timezone, enabled: true, updatedAt: clock.now() };
      const before = await find(ref);
      await rows().upsert(row, ['teamId', 'userId']);
      try {
        return await schedule(row);
      } catch (err) {
        // The member is told it failed: leave things as they were, or the next start-up would schedule it.
        if (before) await rows().update(refOf(ref), { ...before });
        else await rows().delete(refOf(ref));
        throw err;
      }
    },

    async disable(ref) {
      const result = await rows().update({ ...refOf(ref), enabled: true }, { enabled: false, updatedAt: clock.now() });
      // Removed whatever the table said, so a schedule left behind by a crash goes too.
      await queue.removeSchedule(ALERTS_QUEUE, alertScheduleId(ref));
      return (result.affected ?? 0) > 0;
    },

    async forget(ref) {
      // The schedule first: a tick between the two would find no row and remove it anyway.
      await queue.removeSchedule(ALERTS_QUEUE, alertScheduleId(ref));
      const result = await rows().delete(refOf(ref));
      return (result.affected ?? 0) > 0;
    },

    async get(ref) {
      const row = await find(ref);
      if (!row) return null;
      const nextAt = row.enabled ? nextAlertAt(row.localTime, row.timezone, clock.now()).toISOString() : null;
      return { ...toSubscription(row), nextAt };
    },

    rescheduleFor,

    async onLocationChanged(ref) {
      await rescheduleFor(ref);
    },

    send,

    async recoverSchedules() {
      let count = 0;
      for (let after: MemberRef = { teamId: '', userId: '' }; ; ) {
        // Keyset paging on the primary key, so a large table is walked in bounded pages.
        const page = await rows()
          .createQueryBuilder('s')
          .where('s.enabled = true')
          .andWhere('(s.teamId, s.userId) > (:teamId, :userId)', after)
          .orderBy('s.teamId', 'ASC')
          .addOrderBy('s.userId', 'ASC')
          .limit(RECOVERY_PAGE)
          .getMany();
        for (const row of page) await schedule(row);
        count += page.length;
        if (page.length < RECOVERY_PAGE) break;
        after = refOf(page[page.length - 1]!);
      }
      logger.info({ count }, 'daily alert schedules re-created');
      return count;
    },

    start() {
      queue.work<unknown>(ALERTS_QUEUE, async (job) => {
        const data = job.data as Partial<MemberRef> | null;
        if (typeof data?.teamId !== 'string' || typeof data.userId !== 'string') {
          throw new PermanentJobError(`alerts job ${job.id} carries no member`);
        }
        await send({ teamId: data.teamId, userId: data.userId });
      }, { concurrency: WORKER_CONCURRENCY });
    },
  };
}
