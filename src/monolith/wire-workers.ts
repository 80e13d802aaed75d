import type { Infrastructure } from '../infrastructure/infrastructure';
import { ALERTS_QUEUE, type AlertsService } from '../modules/alerts';
import { REMINDERS_QUEUE, type RemindersService } from '../modules/reminders';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE, type SlackDelivery, type SlackEventProcessor } from '../modules/slack';
import { StartupError } from '../platform/lifecycle';
import { registerQueueMetrics } from '../platform/queue';

export interface WorkerPorts {
  processor: SlackEventProcessor;
  delivery: SlackDelivery;
  reminders: RemindersService;
  alerts: AlertsService;
}

/** Every queue the monolith has, for the queue-depth gauges read on each scrape of /metrics. */
export const MONOLITH_QUEUES = [SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE, REMINDERS_QUEUE, ALERTS_QUEUE] as const;

/**
 * Starts consuming the queues WORKER_QUEUES names, and re-enqueues what a lost queue forgot:
 * recovery is the business of the processes that consume those queues.
 */
export function wireWorkers(infra: Infrastructure, { processor, delivery, reminders, alerts }: WorkerPorts): () => Promise<void> {
  const { config, logger } = infra;
  registerQueueMetrics(infra.queue, infra.metrics, [...MONOLITH_QUEUES]);
  return async () => {
    const consumes = new Set<string>(config.WORKER_QUEUES);
    if (consumes.size === 0) {
      // An in-process queue is this process's alone: with no consumer here, its jobs would never run.
      if (infra.queue.backend === 'memory') throw new StartupError('WORKER_QUEUES=none needs REDIS_URL, so that worker processes consume what this one queues');
      logger.info('consuming no queue (WORKER_QUEUES=none): worker processes run the jobs');
      return;
    }
    if (consumes.has(SLACK_EVENTS_QUEUE)) processor.start();
    if (consumes.has(SLACK_DELIVERIES_QUEUE)) delivery.start();
    if (consumes.has(REMINDERS_QUEUE)) reminders.start();
    if (consumes.has(ALERTS_QUEUE)) alerts.start();
    const [reenqueued, rescheduled] = await Promise.all([
      consumes.has(REMINDERS_QUEUE) ? reminders.recoverPending() : 0,
      consumes.has(ALERTS_QUEUE) ? alerts.recoverSchedules() : 0,
    ]);
    logger.info({ queues: config.WORKER_QUEUES, reenqueued, rescheduled }, 'workers started; pending reminders and alert schedules recovered');
  };
}
