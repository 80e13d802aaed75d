import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { toAppError } from '../../platform/errors';
import type { FlagAdmin } from '../../platform/flags';
import type { Logger } from '../../platform/logger';
import { createPageRenderer } from '../../platform/pages';
import { serviceCaller } from '../../platform/service-auth';
import type { Auth } from '../auth';
import { ADMIN_SCRIPT_PATH } from './dashboard.assets';
import { InvalidPlacementError, UnknownModuleError } from './dashboard.errors';
import { ADMIN_PATH, adminNav } from './dashboard.nav';
import { auditPageModel, modulesPageModel } from './dashboard.pages.model';
import { placementChangeResponseSchema, placementChangeSchema, placementOf, writePlacement, type PlacementSetting } from './dashboard.placement';
import type { AuditLog, ModulesPanel } from './dashboard.types';
import { ADMIN_TEMPLATES } from './dashboard.views';

export const AUDIT_PAGE_LIMIT = 200;

export interface AdminPagesOptions {
  auth: Pick<Auth, 'requireOperator' | 'currentMember' | 'csrfToken'>;
  /** The modules panel, as GET /api/admin/modules answers it. */
  modules: () => Promise<ModulesPanel>;
  /** The flag backend in use (the flags file, or Unleash's admin API). */
  flags: Pick<FlagAdmin, 'list' | 'setRollout'>;
  audit: AuditLog;
  /**
   * Resolves once this process's own flags show a move just written (bounded by the caller), so
   * the page it redirects to shows the new placement; other processes follow on their refresh.
   */
  followed?: (module: string, setting: PlacementSetting) => Promise<void>;
  /** Lets an admin service token through POST /api/admin/modules/:name/placement. */
  serviceToken?: RequestHandler;
  logger: Logger;
}

/** A placement change as the audit log and the JSON answer tell it. */
export type PlacementChange = z.infer<typeof placementChangeResponseSchema>;

const NOTICE_KEY = 'moved';

/**
 * The Modules page (/admin), its placement forms and the audit log's page, operators only.
 * A move writes the module's two flags through the flag backend and records who did it;
 * every process picks it up on its next flag refresh.
 */
export function createAdminPagesRouter(options: AdminPagesOptions): Router {
  const { auth, modules, flags, audit, logger } = options;
  const pages = createPageRenderer(ADMIN_TEMPLATES);
  const router = Router();
  const operator = auth.requireOperator();
  const signedInAs = (req: Request) => {
    const who = auth.currentMember(req);
    return who ? (who.name ?? who.userId) : undefined;
  };

  async function modulesPage(req: Request, res: Response, status: number, frame: { notice?: string; error?: string }, submitted?: { module: string; placement: string; rollout: string }) {
    const panel = await modules();
    res.set('Cache-Control', 'no-store');
    res
      .status(status)
      .type('html')
      .send(
        pages.render(
          'modules',
          { title: 'Modules', signedInAs: signedInAs(req), wide: true, scripts: [ADMIN_SCRIPT_PATH], ...frame },
          { ...modulesPageModel(panel, auth.csrfToken(req), submitted), nav: adminNav(ADMIN_PATH, { operator: true }) },
        ),
      );
  }

  /** Validates and applies a move; the refusals are AppErrors (404 unknown module, 400 bad input). */
  async function move(req: Request, res: Response): Promise<PlacementChange> {
    const module = String(req.params.name);
    const panel = await modules();
    if (!panel.modules.some((m) => m.module === module)) throw new UnknownModuleError(module);
    const parsed = placementChangeSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new InvalidPlacementError(parsed.error.issues[0]?.message ?? 'Invalid placement.');
    const before = placementOf(await flags.list(), module);
    await writePlacement(flags, module, parsed.data);
    await options.followed?.(module, parsed.data);
    const member = auth.currentMember(req);
    const caller = serviceCaller(res);
    const actor = member ? `${member.teamId}/${member.userId}` : `service:${caller?.clientId ?? 'unknown'}`;
    const entry = { actor, teamId: null, action: 'placement' as const, target: module, before, after: parsed.data };
    // The move is made: an audit log that is away loses its row, not the move; the line keeps it.
    await audit.record(entry).catch((err: unknown) => logger.error({ err, entry }, 'module placement changed but not written to the audit log'));
    logger.info({ module, before, after: parsed.data, actor }, 'module placement changed');
    return { module, before, after: parsed.data, flagsTarget: panel.flagsTarget };
  }

  router.get(ADMIN_PATH, operator, async (req, res) => {
    const moved = typeof req.query[NOTICE_KEY] === 'string' ? req.query[NOTICE_KEY] : '';
    const panel = await modules();
    const row = panel.modules.find((m) => m.module === moved);
    // The notice names a module from the panel, never text from the request.
    const notice = row ? `${row.module}: placement saved. Every process follows within ${panel.refreshMs} ms.` : undefined;
    await modulesPage(req, res, 200, notice ? { notice } : {});
  });

  router.post(`${ADMIN_PATH}/modules/:name/placement`, operator, async (req, res) => {
    let change: PlacementChange;
    try {
      change = await move(req, res);
    } catch (err) {
      const error = toAppError(err);
      if (error.code === 'INTERNAL') throw err;
      // The flag backend refused or was away: said on the page, as a refusal is.
      if (error.status >= 500) logger.warn({ err, code: error.code }, 'a placement move could not be written');
      if (req.accepts(['html', 'json']) === 'json') return res.status(error.status).json(error.toJSON());
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === 'string' ? v : '');
      return modulesPage(req, res, error.status, { error: error.message }, { module: String(req.params.name), placement: text(body.placement), rollout: text(body.rollout) });
    }
    res.redirect(303, `${ADMIN_PATH}?${NOTICE_KEY}=${encodeURIComponent(change.module)}`);
  });

  // The same move for scripts: JSON in and out, an operator's session (with CSRF) or an admin token.
  const api = options.serviceToken ? auth.requireOperator({ serviceToken: options.serviceToken }) : operator;
  router.post(`/api/admin/modules/:name/placement`, api, async (req, res) => {
    res.json(await move(req, res));
  });

  router.get(`${ADMIN_PATH}/audit`, operator, async (req, res) => {
    const entries = await audit.list({ limit: AUDIT_PAGE_LIMIT });
    res.set('Cache-Control', 'no-store');
    res
      .type('html')
      .send(pages.render('audit', { title: 'Audit log', signedInAs: signedInAs(req), wide: true }, { ...auditPageModel(entries, AUDIT_PAGE_LIMIT), nav: adminNav(`${ADMIN_PATH}/audit`, { operator: true }) }));
  });

  return router;
}
