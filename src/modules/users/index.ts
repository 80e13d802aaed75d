/**
 * The users module's face (the book's dataservice): profiles, locations and settings of
 * Slack members. Everything else in this folder is private to the module.
 *
 * Semantics every implementation keeps (one conformance suite proves it):
 * - getOrCreate uses `init` only when it creates; concurrent calls make one profile.
 * - get throws USERS.NOT_FOUND; setLocation and setSetting create the profile if needed;
 *   getSetting, listSettings and unsetSetting of an unknown member answer null, {}, false.
 * - setting keys are matched without regard to case; values are normalised (e.g. "Imperial"
 *   is stored as "imperial"); an unknown key is USERS.UNKNOWN_SETTING, a bad value
 *   USERS.INVALID_SETTING, a malformed id, location or page HTTP.VALIDATION (all 400).
 */
export type { UserLocation, UserProfile, UserRef, UsersService } from './users.types';
export { createUsersService } from './users.service';
export { createFakeUsersService } from './users.fake';
export { createUsersHttpClient } from './users.http-client';
export { usersRouter } from './users.routes';
export { teamIdSchema, userIdSchema, USERS_API_PATH } from './users.schemas';
export { usersEntities } from './users.entity';
export { USER_SETTINGS } from './users.settings';
export { usersApiRoutes } from './users.openapi';
export { usersRemotePolicy } from './users.remote-policy';
