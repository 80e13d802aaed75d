/**
 * The admin dashboard: pages and their JSON twins over other modules' faces and the platform.
 * It owns no table and no business rule.
 */
export { modulesPanel, queuesPanel, type ModulesPanelInput, type QueueCounter } from './dashboard.panels';
export { modulesPanelSchema, queuesPanelSchema } from './dashboard.schemas';
export type * from './dashboard.types';
