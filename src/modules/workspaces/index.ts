/**
 * The workspaces module's face: installations per Slack workspace ("Add to Slack"), their bot
 * tokens sealed at rest and refreshed once across every process when Slack rotates them, and
 * the clean-up when Slack says a workspace uninstalled or revoked them. Nothing else in this
 * folder is imported from outside.
 */
export type { Installation, WorkspacesService } from './workspaces.types';
export { BOT_SCOPES, createWorkspaces, INSTALL_PATH, OAUTH_REDIRECT_PATH } from './workspaces.service';
export { REFRESH_MARGIN_MS, TOKEN_CACHE_TTL_MS } from './workspaces.bot-tokens';
export { INSTALL_STATE_TTL_MS } from './workspaces.install-states';
export { workspacesRouter } from './workspaces.routes';
export { workspacesEntities } from './workspaces.entities';
