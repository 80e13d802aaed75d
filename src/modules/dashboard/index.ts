/**
 * The admin dashboard: pages and their JSON twins over other modules' faces and the platform.
 * It owns no table and no business rule.
 */
export { modulesPanel, queuesPanel, type QueueCounter } from './dashboard.panels';
export { modulesPanelSchema, queuesPanelSchema } from './dashboard.schemas';
export type { AdminAction, AuditEntry, AuditLog, AuditRecord, ModulesPanel } from './dashboard.types';
export { createAdminPagesRouter } from './dashboard.pages';
export { FlagsReadOnlyError } from './dashboard.errors';
export { adminAssetsRouter } from './dashboard.assets';
export { placementOf, type PlacementSetting } from './dashboard.placement';
export { createWorkspacePanels } from './dashboard.workspace-panels';
export { workspaceApiRouter } from './dashboard.workspace-api';
export { workspacePagesRouter } from './dashboard.workspace-pages';
export { workspacePanelsAssetsRouter } from './dashboard.workspace-assets';
export { dashboardApiRoutes } from './dashboard.openapi';
