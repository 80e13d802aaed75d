import { errorResponse, jsonBody, jsonResponse, type ApiRoute } from '../../platform/openapi';
import {
  getOrCreateBodySchema,
  listQuerySchema,
  locationRemovedResponseSchema,
  settingParamsSchema,
  settingRemovedResponseSchema,
  settingResponseSchema,
  settingsResponseSchema,
  settingValueBodySchema,
  userLocationSchema,
  userForgottenResponseSchema,
  userPageSchema,
  userProfileSchema,
  userRefSchema,
  USERS_API_PATH,
} from './users.schemas';

/**
 * usersRouter's routes, described from the schemas the router validates with. `basePath` is
 * where the router is mounted (the monolith and the extracted service both use /api/users).
 */
export function usersApiRoutes(basePath = USERS_API_PATH): ApiRoute[] {
  const member = `${basePath}/{teamId}/{userId}`;
  const setting = `${member}/settings/{key}`;
  const tags = ['users'];
  const invalid = errorResponse('HTTP.VALIDATION: a malformed team or user id, body or query.');
  const invalidSetting = errorResponse('HTTP.VALIDATION, USERS.UNKNOWN_SETTING (no such key) or USERS.INVALID_SETTING (a value the setting refuses).');
  // Reads carry a weak ETag; If-None-Match with the current one answers 304 without a body.
  const notModified = { description: 'Not modified: the ETag sent in If-None-Match is still current.' };

  return [
    {
      method: 'get',
      path: basePath,
      tags,
      summary: 'Lists members, a page at a time',
      request: { query: listQuerySchema },
      responses: { 200: jsonResponse('A page of profiles; nextCursor is null on the last page.', userPageSchema), 304: notModified, 400: invalid },
    },
    {
      method: 'get',
      path: member,
      tags,
      summary: "A member's profile",
      request: { params: userRefSchema },
      responses: {
        200: jsonResponse('The profile.', userProfileSchema),
        304: notModified,
        400: invalid,
        404: errorResponse('USERS.NOT_FOUND: no such member.'),
      },
    },
    {
      method: 'put',
      path: member,
      tags,
      summary: "Gets a member's profile, creating it on first sight (idempotent)",
      request: { params: userRefSchema, body: jsonBody(getOrCreateBodySchema, { required: false, description: 'Used only when the profile is created.' }) },
      responses: { 200: jsonResponse('The existing or new profile.', userProfileSchema), 400: invalid },
    },
    {
      method: 'put',
      path: `${member}/location`,
      tags,
      summary: "Saves a member's default location",
      request: { params: userRefSchema, body: jsonBody(userLocationSchema) },
      responses: { 200: jsonResponse('The updated profile.', userProfileSchema), 400: invalid },
    },
    {
      method: 'get',
      path: `${member}/settings`,
      tags,
      summary: "A member's settings (empty for an unknown member)",
      request: { params: userRefSchema },
      responses: { 200: jsonResponse('Every setting the member has set.', settingsResponseSchema), 304: notModified, 400: invalid },
    },
    {
      method: 'get',
      path: setting,
      tags,
      summary: 'One setting (null when unset)',
      request: { params: settingParamsSchema },
      responses: { 200: jsonResponse('The setting under its canonical key.', settingResponseSchema), 304: notModified, 400: invalidSetting },
    },
    {
      method: 'put',
      path: setting,
      tags,
      summary: 'Sets one setting',
      request: { params: settingParamsSchema, body: jsonBody(settingValueBodySchema) },
      responses: { 200: jsonResponse('The updated profile.', userProfileSchema), 400: invalidSetting },
    },
    {
      method: 'delete',
      path: `${member}/location`,
      tags,
      summary: "Removes a member's saved location (idempotent)",
      request: { params: userRefSchema },
      responses: { 200: jsonResponse('Whether there was a location to remove.', locationRemovedResponseSchema), 400: invalid },
    },
    {
      method: 'delete',
      path: member,
      tags,
      summary: "Forgets a member: deletes the profile, its location and settings (idempotent)",
      request: { params: userRefSchema },
      responses: { 200: jsonResponse('Whether there was a profile to delete.', userForgottenResponseSchema), 400: invalid },
    },
    {
      method: 'delete',
      path: setting,
      tags,
      summary: 'Unsets one setting',
      request: { params: settingParamsSchema },
      responses: { 200: jsonResponse('Whether a value was removed.', settingRemovedResponseSchema), 400: invalidSetting },
    },
  ];
}
