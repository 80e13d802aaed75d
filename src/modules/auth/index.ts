/**
 * The auth module's face: Sign in with Slack (OpenID Connect through Passport), sessions in
 * PostgreSQL, roles (member, workspace admin, operator), CSRF checks, and the guards other
 * routes put in front of themselves. Nothing else in this folder is imported from outside.
 */
export type { GrantedBy, InstalledWorkspace, Member, Role, RoleGrant, Roles } from './auth.types';
export { ROLES } from './auth.types';
export { createAuth, type Auth, type AuthOptions } from './auth.factory';
export type { RoleGuardOptions } from './auth.guards';
export { createRoles } from './auth.roles';
export { resolveSessionSecret, DEV_SESSION_SECRET_FILE, type ResolveSessionSecretOptions } from './auth.session-secret';
export { authEntities } from './auth.entities';
export { CALLBACK_PATH, LOGIN_PATH, LOGOUT_PATH } from './auth.http';
export { SESSION_API_PATH } from './auth.routes';
export { authApiRoutes } from './auth.openapi';
export { CSRF_FIELD, CSRF_HEADER } from './auth.csrf';
export { SESSION_COOKIE } from './auth.session';
export { CsrfTokenError, ForbiddenError, SignInFailedError, SignInRejectedError, SignInRequiredError } from './auth.errors';
