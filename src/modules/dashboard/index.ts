/**
 * The admin dashboard: pages and their JSON twins over other modules' faces and the platform.
 * It owns no table and no business rule.
 */
export { modulesPanel, queuesPanel, QUEUES_PANEL_TIMEOUT_MS, type ModulesPanelInput, type QueueCounter, type QueuesPanelOptions } from './dashboard.panels';
export { QueuesUnavailableError } from './dashboard.errors';
export { modulesPanelSchema, queuesPanelSchema } from './dashboard.schemas';
export { ADMIN_NAV_TEMPLATE, ADMIN_PATH, ADMIN_TABS, adminNav, type AdminNav, type AdminTab } from './dashboard.nav';
export type * from './dashboard.types';
