import type { RequestHandler, Router } from 'express';
import type { Config } from '../config';
import type { Infrastructure } from '../infrastructure/infrastructure';
import type { Auth } from '../modules/auth';
import { createAdminPagesRouter, FlagsReadOnlyError, type AuditLog, type ModulesPanel } from '../modules/dashboard';
import { createFileFlagAdmin, createUnleashFlagAdmin, type FlagAdmin } from '../platform/flags';
import { moduleLogger } from '../platform/logger';

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
    serviceToken,
    logger: moduleLogger(infra.logger, 'dashboard'),
  });
}
