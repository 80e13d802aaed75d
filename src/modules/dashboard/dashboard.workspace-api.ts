import { Router, type RequestHandler } from 'express';
import { userIdSchema, teamIdSchema } from '../users';
import { ValidationError } from '../../platform/errors';
import type { WorkspacePanels } from './dashboard.workspace-panels';
import { adminDoor, deadLettersQuery, membersQuery, queryOf, teamParam, teamQuery, usageQuery, viewerOf, workspacesQuery, type ViewerAuth } from './dashboard.workspace-viewer';

export interface WorkspaceApiOptions {
  panels: WorkspacePanels;
  auth: ViewerAuth;
  /** Accepts an admin service token instead of a session (operator rights). */
  serviceToken?: RequestHandler;
}

/** The member a route names, checked: Slack ids only. */
export function memberParams(params: Record<string, unknown>): { teamId: string; userId: string } {
  const team = teamIdSchema.safeParse(params.teamId);
  const user = userIdSchema.safeParse(params.userId);
  if (!team.success || !user.success) throw new ValidationError('teamId and userId must be Slack ids such as T0123ABCD and U0123ABCD');
  return { teamId: team.data, userId: user.data };
}

/**
 * The JSON twins of the workspace panels (mount at /api/admin): dead letters with retry and
 * discard, workspaces, members with promote and demote, usage. A workspace admin gets their own
 * workspace's; another workspace's is 403.
 */
export function workspaceApiRouter({ panels, auth, serviceToken }: WorkspaceApiOptions): Router {
  const router = Router();
  const byQuery = adminDoor(auth, teamQuery, serviceToken);
  const byParam = adminDoor(auth, teamParam, serviceToken);
  // Whose the dead letter is shows only once it is read: the door lets admins in, the panel checks the workspace.
  const anyAdmin = adminDoor(auth, () => undefined, serviceToken);

  router.get('/dead-letters', byQuery, async (req, res) => {
    res.json(await panels.deadLetters(await viewerOf(auth, req), queryOf(deadLettersQuery, req.query)));
  });
  router.post('/dead-letters/:id/retry', anyAdmin, async (req, res) => {
    res.json({ retried: await panels.retry(await viewerOf(auth, req), String(req.params.id)) });
  });
  router.post('/dead-letters/:id/discard', anyAdmin, async (req, res) => {
    res.json({ discarded: await panels.discard(await viewerOf(auth, req), String(req.params.id)) });
  });
  router.get('/workspaces', byQuery, async (req, res) => {
    res.json(await panels.workspaces(await viewerOf(auth, req), queryOf(workspacesQuery, req.query)));
  });
  router.get('/members', byQuery, async (req, res) => {
    res.json(await panels.members(await viewerOf(auth, req), queryOf(membersQuery, req.query)));
  });
  router.post('/members/:teamId/:userId/promote', byParam, async (req, res) => {
    const { teamId, userId } = memberParams(req.params);
    res.json({ teamId, userId, admin: true, ...(await panels.promote(await viewerOf(auth, req), teamId, userId)) });
  });
  router.post('/members/:teamId/:userId/demote', byParam, async (req, res) => {
    const { teamId, userId } = memberParams(req.params);
    res.json({ teamId, userId, admin: false, ...(await panels.demote(await viewerOf(auth, req), teamId, userId)) });
  });
  router.get('/usage', byQuery, async (req, res) => {
    res.json(await panels.usage(await viewerOf(auth, req), queryOf(usageQuery, req.query)));
  });
  return router;
}
