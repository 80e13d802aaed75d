/**
 * The admin dashboard: pages and their JSON twins over other modules' faces and the platform.
 * It owns no table and no business rule.
 */
export { modulesPanel, queuesPanel, type ModulesPanelInput, type QueueCounter } from './dashboard.panels';
export { modulesPanelSchema, queuesPanelSchema } from './dashboard.schemas';
export { ADMIN_NAV_TEMPLATE, ADMIN_PATH, ADMIN_TABS, adminNav, type AdminNav, type AdminTab } from './dashboard.nav';
export type * from './dashboard.types';
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
