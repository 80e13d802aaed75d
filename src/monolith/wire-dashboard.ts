import { Router, type RequestHandler } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import { ALERTS_QUEUE } from '../modules/alerts';
import { auditQuerySchema } from '../modules/audit';
import { modulesPanel, queuesPanel, type AuditLog, type ModulesPanel, type QueueCounter } from '../modules/dashboard';
import { REMINDERS_QUEUE } from '../modules/reminders';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE } from '../modules/slack';
import type { RoutingRegistry } from '../platform/remote';

/** Every queue the monolith enqueues on, as the queues panel lists them. */
export const MONOLITH_QUEUES = [SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE, REMINDERS_QUEUE, ALERTS_QUEUE] as const;

type PanelRouting = Pick<RoutingRegistry, 'routingStatus' | 'activity'>;

export interface DashboardPorts {
  routing: PanelRouting;
  /** The operator's door (a session or an admin service token). */
  auth: RequestHandler;
  /** Where every admin action is recorded, and read back by GET /audit. */
  audit: AuditLog;
  /** Where queue figures are read; default the process's job queue. */
  queue?: QueueCounter;
}

/** The modules panel as this process sees it (placements from the flag backend, figures its own). */
export function readModulesPanel(infra: Infrastructure, routing: PanelRouting): Promise<ModulesPanel> {
  const { config } = infra;
  const flagsTarget = config.UNLEASH_URL ? `Unleash ${config.UNLEASH_URL}` : `file ${config.FLAGS_FILE}`;
  return modulesPanel({ routing: routing.routingStatus(), activity: routing.activity(), flags: infra.flags.list(), registry: infra.metrics.registry, flagsTarget, refreshMs: config.FLAGS_REFRESH_MS });
}

/** The dashboard's JSON twins: GET /modules, /queues and /audit, mounted under /api/admin. */
export function wireDashboard(infra: Infrastructure, { routing, auth, audit, queue = infra.queue }: DashboardPorts): Router {
  const router = Router();
  router.get('/modules', auth, (_req, res, next) => {
    readModulesPanel(infra, routing)
      .then((panel) => res.json(panel))
      .catch(next);
  });
  router.get('/queues', auth, (_req, res, next) => {
    queuesPanel(queue, MONOLITH_QUEUES)
      .then((panel) => res.json(panel))
      .catch(next);
  });
  router.get('/audit', auth, async (req, res) => {
    const query = auditQuerySchema.parse(req.query);
    res.set('Cache-Control', 'no-store');
    res.json({ entries: await audit.list({ ...(query.teamId ? { teamId: query.teamId } : {}), ...(query.limit ? { limit: query.limit } : {}) }) });
  });
  return router;
}
