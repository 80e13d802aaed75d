/**
 * The workspaces module's face: installations per Slack workspace ("Add to Slack"), their bot
 * tokens sealed at rest and refreshed once across every process when Slack rotates them, and
 * the clean-up when Slack says a workspace uninstalled or revoked them. Nothing else in this
 * folder is imported from outside.
 */
export type { Installation, WorkspacesService } from './workspaces.types';
export { createWorkspaces, INSTALL_PATH, OAUTH_REDIRECT_PATH } from './workspaces.service';
export { workspacesRouter } from './workspaces.routes';
export { workspacesEntities } from './workspaces.entities';
