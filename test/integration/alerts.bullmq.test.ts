import { Queue } from 'bullmq';
import { ALERTS_QUEUE, createAlertsService, type AlertsService } from '../../src/modules/alerts';
import { alertScheduleId } from '../../src/modules/alerts/alerts.types';
import { nextAlertAt } from '../../src/modules/alerts/alerts.time';
import { createBullmqQueue, type JobQueue } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteKeys, silentLogger } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';

/**
 * The schedules as BullMQ keeps them in Redis: read back with BullMQ's own getJobScheduler,
 * whose `next` is what its cron engine computed in the member's zone, and must agree with
 * what the confirmation told the member (nextAlertAt, luxon).
 */
const logger = silentLogger();
const ada = { teamId: 'T0ADA', userId: 'U0ADA' };

describeWithRedis('alerts on BullMQ', (redisUrl) => {
  let db: TestDatabase;
  let prefix: string;
  let queue: JobQueue;
  let inspector: Queue;
  let zone: string;
  let alerts: AlertsService;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  beforeEach(() => {
    prefix = uniquePrefix('alerts');
    zone = 'Europe/Paris';
    queue = createBullmqQueue({ redisUrl, prefix, logger });
    inspector = new Queue(ALERTS_QUEUE, { connection: { url: redisUrl }, prefix });
    alerts = createAlertsService({
      dataSource: db.dataSource,
      queue,
      notifier: async () => undefined,
      weather: async () => 'Sunny',
      timezones: async () => zone,
      logger,
    });
  });

  afterEach(async () => {
    await Promise.all([queue.close(1000), inspector.close()]);
    await deleteKeys(redisUrl, prefix);
  });

  it('when enabled at 07:30 Europe/Paris, then Redis holds one scheduler with that pattern, zone and next run', async () => {
    const alert = await alerts.enable(ada, 'D0ADA', '07:30');

    const scheduler = await inspector.getJobScheduler(alertScheduleId(ada));
    expect(scheduler).toMatchObject({ pattern: '30 7 * * *', tz: 'Europe/Paris' });
    expect(scheduler?.next).toBe(Date.parse(alert.nextAt));
    expect(scheduler?.next).toBe(nextAlertAt('07:30', 'Europe/Paris', new Date()).getTime());
  });

  it('when the location moves to another zone, then the same scheduler runs in the new zone', async () => {
    await alerts.enable(ada, 'D0ADA', '07:30');
    zone = 'America/New_York';

    await alerts.onLocationChanged(ada);

    const schedulers = await inspector.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: alertScheduleId(ada), pattern: '30 7 * * *', tz: 'America/New_York' });
    expect(schedulers[0]?.next).toBe(nextAlertAt('07:30', 'America/New_York', new Date()).getTime());
  });

  it('when turned off, then the scheduler is gone from Redis', async () => {
    await alerts.enable(ada, 'D0ADA', '07:30');

    await alerts.disable(ada);

    expect(await inspector.getJobSchedulers()).toEqual([]);
  });
});
