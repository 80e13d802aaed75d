/**
 * The admin dashboard: pages and their JSON twins over other modules' faces and the platform.
 * It owns no table and no business rule.
 */
export { modulesPanel, queuesPanel, QUEUES_PANEL_TIMEOUT_MS, type ModulesPanelInput, type QueueCounter, type QueuesPanelOptions } from './dashboard.panels';
export { QueuesUnavailableError } from './dashboard.errors';
export { modulesPanelSchema, queuesPanelSchema } from './dashboard.schemas';
export { ADMIN_NAV_TEMPLATE, ADMIN_PATH, ADMIN_TABS, adminNav, type AdminNav, type AdminTab } from './dashboard.nav';
export type * from './dashboard.types';
export { createAdminPagesRouter, AUDIT_PAGE_LIMIT, type AdminPagesOptions, type PlacementChange } from './dashboard.pages';
export { FlagsReadOnlyError, InvalidPlacementError, UnknownModuleError } from './dashboard.errors';
export { adminAssetsRouter, ADMIN_POLL_MS, ADMIN_SCRIPT_PATH } from './dashboard.assets';
export { placementChangeResponseSchema, placementChangeSchema, placementOf, writePlacement, type PlacementSetting } from './dashboard.placement';
export { createWorkspacePanels, redactText, type WorkspacePanels, type WorkspacePanelsPorts } from './dashboard.workspace-panels';
export { workspaceApiRouter, type WorkspaceApiOptions } from './dashboard.workspace-api';
export { workspacePagesRouter, type WorkspacePagesOptions } from './dashboard.workspace-pages';
export { workspacePanelsAssetsRouter } from './dashboard.workspace-assets';
export type * from './dashboard.workspace-types';
export {
  deadLetterDiscardedSchema,
  deadLetterRetriedSchema,
  deadLettersPanelSchema,
  memberRoleChangedSchema,
  membersPanelSchema,
  usagePanelSchema,
  workspacesPanelSchema,
} from './dashboard.workspace-schemas';
export { dashboardApiRoutes } from './dashboard.openapi';
