import { Router, type Request, type Response } from 'express';
import { toAppError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { createPageRenderer } from '../../platform/pages';
import type { Auth } from '../auth';
import { adminNav, ADMIN_PATH } from './dashboard.nav';
import type { QueuesPanel } from './dashboard.types';
import { memberParams } from './dashboard.workspace-api';
import type { WorkspacePanels } from './dashboard.workspace-panels';
import { WORKSPACE_PANEL_TEMPLATES } from './dashboard.workspace-views';
import { adminDoor, deadLettersQuery, membersQuery, queryOf, teamParam, teamQuery, usageQuery, viewerOf, workspacesQuery } from './dashboard.workspace-viewer';

export interface WorkspacePagesOptions {
  panels: WorkspacePanels;
  auth: Pick<Auth, 'requireRole' | 'currentMember' | 'roles' | 'csrfToken'>;
  /** The queue counts (operators only). */
  queues: () => Promise<QueuesPanel>;
  logger: Logger;
}

const NOTICES = {
  retried: 'Dead letter queued again.',
  discarded: 'Dead letter discarded.',
  promoted: 'Member promoted to admin.',
  demoted: 'Member is no longer an admin.',
} as const;
type Notice = keyof typeof NOTICES;

const PAGES = {
  queues: { path: `${ADMIN_PATH}/queues`, title: 'Queues and dead letters', template: 'admin-queues' },
  workspaces: { path: `${ADMIN_PATH}/workspaces`, title: 'Workspaces', template: 'admin-workspaces' },
  members: { path: `${ADMIN_PATH}/members`, title: 'Members', template: 'admin-members' },
  usage: { path: `${ADMIN_PATH}/usage`, title: 'Usage', template: 'admin-usage' },
} as const;
type PageName = keyof typeof PAGES;

/** Where a page's links keep their filters: only the query keys given, in order. */
function withQuery(path: string, query: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
  return search.size ? `${path}?${search.toString()}` : path;
}

/**
 * The Queues, Workspaces, Members and Usage pages, and the forms on them. Each reads what its
 * JSON twin answers (the same panels); a form lands back on its page with a notice, or with the
 * refusal said.
 */
export function workspacePagesRouter({ panels, auth, queues, logger }: WorkspacePagesOptions): Router {
  const pages = createPageRenderer(WORKSPACE_PANEL_TEMPLATES);
  const router = Router();
  const byQuery = adminDoor(auth, teamQuery);
  const byParam = adminDoor(auth, teamParam);
  const anyAdmin = adminDoor(auth, () => undefined);

  async function modelOf(name: PageName, req: Request, query: unknown) {
    const viewer = await viewerOf(auth, req);
    const base = { nav: adminNav(PAGES[name].path, viewer), csrf: auth.csrfToken(req), operator: viewer.operator };
    if (name === 'queues') {
      const panel = await panels.deadLetters(viewer, queryOf(deadLettersQuery, query));
      return { ...base, scope: panel.teamId, deadLetters: panel.deadLetters, queues: viewer.operator ? await queues() : null };
    }
    if (name === 'workspaces') {
      const chosen = queryOf(workspacesQuery, query);
      const panel = await panels.workspaces(viewer, chosen);
      return { ...base, scope: viewer.operator ? (chosen.team ?? null) : viewer.teamId, workspaces: panel.workspaces };
    }
    if (name === 'members') {
      const chosen = queryOf(membersQuery, query);
      const panel = await panels.members(viewer, chosen);
      const next = panel.nextCursor ? withQuery(PAGES.members.path, { team: chosen.team, q: chosen.q, cursor: panel.nextCursor }) : null;
      return { ...base, scope: panel.teamId, members: panel.members, q: panel.q, next };
    }
    const chosen = queryOf(usageQuery, query);
    const usage = await panels.usage(viewer, chosen);
    const source = withQuery('/api/admin/usage', { team: chosen.team, days: chosen.days === undefined ? undefined : String(chosen.days) });
    return { ...base, scope: usage.teamId, usage, source };
  }

  async function render(name: PageName, req: Request, res: Response, status: number, frame: { notice?: string; error?: string }, query: unknown = req.query) {
    const member = auth.currentMember(req)!;
    const model = await modelOf(name, req, query);
    res.set('Cache-Control', 'no-store');
    res.status(status).type('html').send(pages.render(PAGES[name].template, { title: PAGES[name].title, signedInAs: member.name ?? member.userId, wide: true, ...frame }, model));
  }

  for (const name of Object.keys(PAGES) as PageName[]) {
    router.get(PAGES[name].path, byQuery, async (req, res) => {
      const key = typeof req.query.notice === 'string' ? req.query.notice : '';
      await render(name, req, res, 200, Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key as Notice] } : {});
    });
  }

  /** Runs an action; a refusal (4xx) shows the page again with it said, anything else is the app's error. */
  const action = (name: PageName, run: (req: Request) => Promise<Notice>) => async (req: Request, res: Response) => {
    let notice: Notice;
    try {
      notice = await run(req);
    } catch (err) {
      const error = toAppError(err);
      if (error.status >= 500) throw err;
      logger.debug({ code: error.code }, 'an admin action was refused');
      return render(name, req, res, error.status, { error: error.message }, {});
    }
    res.redirect(303, `${PAGES[name].path}?notice=${notice}`);
  };

  router.post(
    `${ADMIN_PATH}/dead-letters/:id/retry`,
    anyAdmin,
    action('queues', async (req) => {
      await panels.retry(await viewerOf(auth, req), String(req.params.id));
      return 'retried';
    }),
  );
  router.post(
    `${ADMIN_PATH}/dead-letters/:id/discard`,
    anyAdmin,
    action('queues', async (req) => {
      await panels.discard(await viewerOf(auth, req), String(req.params.id));
      return 'discarded';
    }),
  );
  router.post(
    `${ADMIN_PATH}/members/:teamId/:userId/promote`,
    byParam,
    action('members', async (req) => {
      const { teamId, userId } = memberParams(req.params);
      await panels.promote(await viewerOf(auth, req), teamId, userId);
      return 'promoted';
    }),
  );
  router.post(
    `${ADMIN_PATH}/members/:teamId/:userId/demote`,
    byParam,
    action('members', async (req) => {
      const { teamId, userId } = memberParams(req.params);
      await panels.demote(await viewerOf(auth, req), teamId, userId);
      return 'demoted';
    }),
  );
  return router;
}
