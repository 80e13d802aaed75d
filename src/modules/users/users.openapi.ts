import { readApiRoutes } from '../../platform/fast-path';
import { jsonBody, jsonResponse, type ApiRoute } from '../../platform/openapi';
import { invalidResponse as invalid, invalidSettingResponse as invalidSetting, USERS_READS } from './users.reads';
import {
  getOrCreateBodySchema,
  locationRemovedResponseSchema,
  settingParamsSchema,
  settingRemovedResponseSchema,
  settingValueBodySchema,
  userLocationSchema,
  userForgottenResponseSchema,
  userProfileSchema,
  userRefSchema,
  USERS_API_PATH,
} from './users.schemas';

/**
 * usersRouter's routes: the reads from their declarations, the writes described from the
 * schemas the router validates with. `basePath` is where the router is mounted (the monolith
 * and the extracted service both use /api/users).
 */
export function usersApiRoutes(basePath = USERS_API_PATH): ApiRoute[] {
  const member = `${basePath}/{teamId}/{userId}`;
  const setting = `${member}/settings/{key}`;
  const tags = ['users'];

  return [
    ...readApiRoutes(basePath, USERS_READS, tags),
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
