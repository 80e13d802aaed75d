import { Router, type RequestHandler } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import { ALERTS_QUEUE } from '../modules/alerts';
import { modulesPanel, queuesPanel, type QueueCounter } from '../modules/dashboard';
import { REMINDERS_QUEUE } from '../modules/reminders';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE } from '../modules/slack';
import type { RoutingRegistry } from '../platform/remote';

/** Every queue the monolith enqueues on, as the queues panel lists them. */
export const MONOLITH_QUEUES = [SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE, REMINDERS_QUEUE, ALERTS_QUEUE] as const;

export interface DashboardPorts {
  routing: Pick<RoutingRegistry, 'routingStatus' | 'activity'>;
  /** The operator's door (a session or an admin service token). */
  auth: RequestHandler;
  /** Where queue figures are read; default the process's job queue. */
  queue?: QueueCounter;
}

/** The dashboard's JSON twins: GET /modules and GET /queues, mounted under /api/admin. */
export function wireDashboard(infra: Infrastructure, { routing, auth, queue = infra.queue }: DashboardPorts): Router {
  const { config } = infra;
  const flagsTarget = config.UNLEASH_URL ? `Unleash ${config.UNLEASH_URL}` : `file ${config.FLAGS_FILE}`;
  const router = Router();
  router.get('/modules', auth, (_req, res, next) => {
    modulesPanel({ routing: routing.routingStatus(), activity: routing.activity(), flags: infra.flags.list(), registry: infra.metrics.registry, flagsTarget, refreshMs: config.FLAGS_REFRESH_MS })
      .then((panel) => res.json(panel))
      .catch(next);
  });
  router.get('/queues', auth, (_req, res, next) => {
    queuesPanel(queue, MONOLITH_QUEUES)
      .then((panel) => res.json(panel))
      .catch(next);
  });
  return router;
}
