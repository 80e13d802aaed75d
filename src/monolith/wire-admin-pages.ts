import { randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import type { Auth } from '../modules/auth';
import {
  createWorkspacePanels,
  queuesPanel,
  workspaceApiRouter,
  workspacePagesRouter,
  workspacePanelsAssetsRouter,
  type AuditLog,
  type AuditRecord,
} from '../modules/dashboard';
import type { SlackDelivery } from '../modules/slack';
import type { UsersService } from '../modules/users';
import type { WorkspacesService } from '../modules/workspaces';
import { moduleLogger } from '../platform/logger';
import { MONOLITH_QUEUES } from './wire-dashboard';
import type { SlackOut } from './wire-slack';

/**
 * Stand-in until the audit module (PostgreSQL) is wired: keeps this process's admin actions in
 * memory only, so they are lost on restart and not shared between web processes.
 */
export function createInterimInMemoryAuditLog(): AuditLog {
  const records: AuditRecord[] = [];
  return {
    async record(entry) {
      records.unshift({ ...entry, id: randomUUID(), at: new Date().toISOString() });
    },
    async list({ teamId, limit = 50 } = {}) {
      return records.filter((r) => teamId === undefined || r.teamId === teamId).slice(0, limit);
    },
  };
}

export interface AdminPagesPorts {
  auth: Auth;
  slack: Pick<SlackOut, 'deadLetters' | 'usage'>;
  delivery: Pick<SlackDelivery, 'send'>;
  workspaces: Pick<WorkspacesService, 'installations' | 'installation'>;
  users: Pick<UsersService, 'list'>;
  audit: AuditLog;
  /** An admin service token (audience 'admin') in place of a session, on the JSON twins. */
  serviceToken: RequestHandler;
}

/** The Queues, Workspaces, Members and Usage pages (mount at '/') and their JSON twins (mount at /api/admin). */
export function wireAdminPages(infra: Infrastructure, ports: AdminPagesPorts): { pages: Router; api: Router } {
  const { auth } = ports;
  const panels = createWorkspacePanels({
    deadLetters: ports.slack.deadLetters,
    send: (message) => ports.delivery.send(message),
    workspaces: ports.workspaces,
    users: ports.users,
    roles: auth.roles,
    usage: ports.slack.usage,
    audit: ports.audit,
  });
  const pages = Router();
  pages.use(workspacePanelsAssetsRouter());
  pages.use(workspacePagesRouter({ panels, auth, queues: () => queuesPanel(infra.queue, MONOLITH_QUEUES), logger: moduleLogger(infra.logger, 'dashboard') }));
  return { pages, api: workspaceApiRouter({ panels, auth, serviceToken: ports.serviceToken }) };
}
