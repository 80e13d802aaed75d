import type { z } from 'zod';
import { UnavailableError } from '../../platform/errors';
import { requestJson, serviceApiUrl, type JsonRequest } from '../../platform/http-client';
import { remoteHeaders } from '../../platform/remote';
import { UnknownSettingError } from './users.errors';
import {
  locationRemovedResponseSchema,
  parseInput,
  settingRemovedResponseSchema,
  settingResponseSchema,
  settingsResponseSchema,
  userForgottenResponseSchema,
  userPageSchema,
  userProfileSchema,
  userRefSchema,
  USERS_API_PATH,
} from './users.schemas';
import { knownSettingKeys } from './users.settings';
import type { UserRef, UsersService } from './users.types';

export interface UsersHttpClientOptions {
  /** Root URL of a Jeeves serving usersRouter at USERS_API_PATH (the monolith or the extracted service). */
  baseUrl: string;
  /** Asked before every call: trace headers and a fresh service token (default: remoteHeaders(), trace headers only). */
  headers?: () => Promise<Record<string, string>>;
  timeoutMs?: number;
}

/**
 * The users module as a client of its HTTP adapter. Errors come back as the same AppError
 * codes the in-process service throws (requestJson rebuilds them from the body); a body
 * that does not match the schema is USERS.BAD_RESPONSE, an unreachable service USERS.UNAVAILABLE.
 */
export function createUsersHttpClient({ baseUrl, headers = remoteHeaders(), timeoutMs = 5000 }: UsersHttpClientOptions): UsersService {
  const base = serviceApiUrl(baseUrl, USERS_API_PATH);

  async function call<S extends z.ZodType>(schema: S, path: string, request: Pick<JsonRequest, 'method' | 'body'> = {}): Promise<z.output<S>> {
    const { body } = await requestJson<unknown>(`${base}${path}`, { ...request, timeoutMs, headers: await headers() }, 'USERS');
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new UnavailableError('USERS.BAD_RESPONSE', 'users service answered with an unexpected body', parsed.error);
    return parsed.data;
  }

  /** Validated here as the server would: valid ids are URL-safe, so they go into the path as they are. */
  function userPath(ref: UserRef): string {
    const { teamId, userId } = parseInput(userRefSchema, ref);
    return `/${teamId}/${userId}`;
  }

  function settingPath(ref: UserRef, key: string): string {
    const path = userPath(ref);
    // "", "." and ".." would address another resource once the URL is normalised; none is a setting.
    if (key === '' || key === '.' || key === '..') throw new UnknownSettingError(key, knownSettingKeys());
    return `${path}/settings/${encodeURIComponent(key)}`;
  }

  // Every method is async, so a bad argument rejects like a remote refusal instead of throwing at the call.
  return {
    getOrCreate: async (ref, init) =>
      call(userProfileSchema, userPath(ref), {
        method: 'PUT',
        body: init?.displayName === undefined ? {} : { displayName: init.displayName },
      }),
    get: async (ref) => call(userProfileSchema, userPath(ref)),
    setLocation: async (ref, location) => call(userProfileSchema, `${userPath(ref)}/location`, { method: 'PUT', body: location }),
    unsetLocation: async (ref) => (await call(locationRemovedResponseSchema, `${userPath(ref)}/location`, { method: 'DELETE' })).removed,
    getSetting: async (ref, key) => (await call(settingResponseSchema, settingPath(ref, key))).value,
    setSetting: async (ref, key, value) => call(userProfileSchema, settingPath(ref, key), { method: 'PUT', body: { value } }),
    unsetSetting: async (ref, key) => (await call(settingRemovedResponseSchema, settingPath(ref, key), { method: 'DELETE' })).removed,
    listSettings: async (ref) => (await call(settingsResponseSchema, `${userPath(ref)}/settings`)).settings,
    forget: async (ref) => (await call(userForgottenResponseSchema, userPath(ref), { method: 'DELETE' })).forgotten,
    list: async (page = {}) => {
      const query = new URLSearchParams();
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      if (page.cursor !== undefined && page.cursor !== null) query.set('cursor', page.cursor);
      if (page.teamId !== undefined) query.set('teamId', page.teamId);
      if (page.q !== undefined) query.set('q', page.q);
      const search = query.size > 0 ? `?${query.toString()}` : '';
      return call(userPageSchema, `/${search}`);
    },
  };
}
