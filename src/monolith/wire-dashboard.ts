import { Router, type RequestHandler } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import { ALERTS_QUEUE } from '../modules/alerts';
import { modulesPanel, queuesPanel, type AuditLog, type ModulesPanel } from '../modules/dashboard';
import { auditQuerySchema } from '../modules/audit';
import { REMINDERS_QUEUE } from '../modules/reminders';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE } from '../modules/slack';
import type { RoutingRegistry } from '../platform/remote';

/** Every queue the monolith enqueues on, as the queues panel lists them. */
export const MONOLITH_QUEUES = [SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE, REMINDERS_QUEUE, ALERTS_QUEUE] as const;

export interface DashboardPorts {
  routing: Pick<RoutingRegistry, 'routingStatus'>;
  /** The operator's door (a session or an admin service token). */
  auth: RequestHandler;
  /** Where every admin action is recorded, and read back by GET /audit. */
  audit: AuditLog;
}


/** The modules panel as this process sees it (placements from the flag backend, figures its own). */
export function readModulesPanel(infra: Infrastructure, routing: Pick<RoutingRegistry, 'routingStatus'>): Promise<ModulesPanel> {
  const { config } = infra;
  const flagsTarget = config.UNLEASH_URL ? `Unleash ${config.UNLEASH_URL}` : `file ${config.FLAGS_FILE}`;
  return modulesPanel({ routing: routing.routingStatus(), flags: infra.flags.list(), registry: infra.metrics.registry, flagsTarget, refreshMs: config.FLAGS_REFRESH_MS });
}

/** The dashboard's JSON twins: GET /modules, /queues and /audit, mounted under /api/admin. */
export function wireDashboard(infra: Infrastructure, { routing, auth, audit }: DashboardPorts): Router {
  const router = Router();
  router.get('/modules', auth, (_req, res, next) => {
    readModulesPanel(infra, routing)
      .then((panel) => res.json(panel))
      .catch(next);
  });
  router.get('/queues', auth, (_req, res, next) => {
    queuesPanel(infra.queue, MONOLITH_QUEUES)
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
