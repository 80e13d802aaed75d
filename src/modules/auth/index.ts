/**
 * The auth module's face: who holds which role (member, workspace admin, operator).
 * Nothing else in this folder is imported from outside.
 */
export type { GrantedBy, InstalledWorkspace, Member, Role, RoleGrant, Roles } from './auth.types';
export { ROLES } from './auth.types';
export { createRoles } from './auth.roles';
export { authEntities } from './auth.entities';
