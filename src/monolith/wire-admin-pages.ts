import { Router, type RequestHandler } from 'express';
import type { Config } from '../config';
import type { Infrastructure } from '../infrastructure/infrastructure';
import type { Auth } from '../modules/auth';
import {
  createAdminPagesRouter,
  createWorkspacePanels,
  placementOf,
  FlagsReadOnlyError,
  queuesPanel,
  workspaceApiRouter,
  workspacePagesRouter,
  workspacePanelsAssetsRouter,
  type AuditLog,
  type ModulesPanel,
  type PlacementSetting,
} from '../modules/dashboard';
import type { SlackDelivery } from '../modules/slack';
import type { UsersService } from '../modules/users';
import type { WorkspacesService } from '../modules/workspaces';
import { createFileFlagAdmin, createUnleashFlagAdmin, type FlagAdmin, type FlagResolver } from '../platform/flags';
import { moduleLogger } from '../platform/logger';
import { MONOLITH_QUEUES } from './wire-dashboard';
import type { SlackOut } from './wire-slack';

/**
 * The flag backend the dashboard writes placements to: the flags file, or Unleash's admin API
 * (UNLEASH_ADMIN_TOKEN; without it the backend is read through the resolver and writes are refused).
 */
export function dashboardFlagAdmin(config: Config, infra: Pick<Infrastructure, 'flags'>): Pick<FlagAdmin, 'list' | 'setRollout'> {
  if (!config.UNLEASH_URL) return createFileFlagAdmin(config.FLAGS_FILE);
  if (config.UNLEASH_ADMIN_TOKEN) return createUnleashFlagAdmin({ url: config.UNLEASH_URL, adminToken: config.UNLEASH_ADMIN_TOKEN });
  return {
    list: async () => infra.flags.list(),
    setRollout: () => Promise.reject(new FlagsReadOnlyError()),
  };
}

/** Resolves when `flags` show the placement, or after `waitMs` (the move is written either way). */
export function flagsFollowing(flags: Pick<FlagResolver, 'list' | 'on'>, waitMs: number): (module: string, setting: PlacementSetting) => Promise<void> {
  return (module, setting) =>
    new Promise<void>((resolve) => {
      const expected = setting.rollout === 0 ? 'local at 0' : `${setting.placement} at ${setting.rollout}`;
      const shows = () => {
        const now = placementOf(flags.list(), module);
        return `${now.placement} at ${now.rollout}` === expected;
      };
      if (shows()) return resolve();
      const done = () => {
        off();
        clearTimeout(timer);
        resolve();
      };
      const off = flags.on('changed', () => shows() && done());
      const timer = setTimeout(done, waitMs);
    });
}

export interface AdminPagesPorts {
  auth: Auth;
  audit: AuditLog;
  modules: () => Promise<ModulesPanel>;
  /** The admin service token's guard, for the JSON form of a move. */
  serviceToken: RequestHandler;
}

/** /admin (Modules), its placement forms, /admin/audit, and POST /api/admin/modules/:name/placement. */
export function wireAdminPages(infra: Infrastructure, { auth, audit, modules, serviceToken }: AdminPagesPorts): Router {
  return createAdminPagesRouter({
    auth,
    audit,
    modules,
    flags: dashboardFlagAdmin(infra.config, infra),
    // This process shows the move as soon as it reads it back, waiting at most two refreshes.
    followed: flagsFollowing(infra.flags, Math.min(2 * infra.config.FLAGS_REFRESH_MS, 5_000)),
    serviceToken,
    logger: moduleLogger(infra.logger, 'dashboard'),
  });
}

export interface WorkspaceAdminPagesPorts {
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
export function wireWorkspaceAdminPages(infra: Infrastructure, ports: WorkspaceAdminPagesPorts): { pages: Router; api: Router } {
  const { auth } = ports;
  const logger = moduleLogger(infra.logger, 'dashboard');
  const panels = createWorkspacePanels({
    deadLetters: ports.slack.deadLetters,
    send: (message) => ports.delivery.send(message),
    workspaces: ports.workspaces,
    users: ports.users,
    roles: auth.roles,
    usage: ports.slack.usage,
    audit: ports.audit,
    logger,
  });
  const pages = Router();
  pages.use(workspacePanelsAssetsRouter());
  pages.use(workspacePagesRouter({ panels, auth, queues: () => queuesPanel(infra.queue, MONOLITH_QUEUES), logger }));
  return { pages, api: workspaceApiRouter({ panels, auth, serviceToken: ports.serviceToken }) };
}
