/**
 * The auth module's face: Sign in with Slack (OpenID Connect through Passport), sessions in
 * PostgreSQL, roles (member, workspace admin, operator), CSRF checks, and the guards other
 * routes put in front of themselves. Nothing else in this folder is imported from outside.
 */
export type { Member, Roles } from './auth.types';
export { createAuth, type Auth } from './auth.factory';
export { createRoles } from './auth.roles';
export { resolveSessionSecret } from './auth.session-secret';
export { authEntities } from './auth.entities';
export { CALLBACK_PATH, LOGIN_PATH, LOGOUT_PATH } from './auth.http';
export { authApiRoutes } from './auth.openapi';
export { SESSION_COOKIE } from './auth.session';
export { ForbiddenError, SignInRequiredError } from './auth.errors';
