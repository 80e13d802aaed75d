import type { ServerResponse } from 'node:http';
import type { FastReadRequest, ReadRoute } from '../../platform/fast-path';
import { errorResponse } from '../../platform/openapi';
import { matchesIfNoneMatch, weakEtag } from './users.etag';
import {
  listQuerySchema,
  parseInput,
  settingParamsSchema,
  settingResponseSchema,
  settingsResponseSchema,
  userPageSchema,
  userProfileSchema,
  userRefSchema,
} from './users.schemas';
import { settingFor } from './users.settings';
import type { UsersService } from './users.types';

/** The users module's reads, each declared once: usersRouter serves them, usersApiRoutes documents them. */

export const invalidResponse = errorResponse('HTTP.VALIDATION: a malformed team or user id, body or query.');
export const invalidSettingResponse = errorResponse('HTTP.VALIDATION, USERS.UNKNOWN_SETTING (no such key) or USERS.INVALID_SETTING (a value the setting refuses).');
// Reads carry a weak ETag; If-None-Match with the current one answers 304 without a body.
const notModified = { description: 'Not modified: the ETag sent in If-None-Match is still current.' };

/**
 * A read the client may revalidate: a weak ETag of the exact JSON sent, and 304 with no
 * body when the client already holds it. Set here, not left to Express's `etag` setting,
 * so an app that turns that off does not silently lose it. Written on Node's response (the
 * headers res.type and res.send would set), so the router and an extracted service's fast
 * path answer alike.
 */
function sendCacheable(req: Pick<FastReadRequest, 'method' | 'headers'>, res: ServerResponse, payload: unknown): void {
  const body = JSON.stringify(payload);
  const etag = weakEtag(body);
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(Buffer.byteLength(body)));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

type Deps = { users: UsersService };

export const USERS_READS: Array<ReadRoute<Deps>> = [
  {
    path: '/',
    summary: 'Lists members, a page at a time',
    request: { query: listQuerySchema },
    response: { description: 'A page of profiles; nextCursor is null on the last page.', schema: userPageSchema },
    otherResponses: { 304: notModified, 400: invalidResponse },
    handler: ({ users }) => ({
      answer: async (req, res) => sendCacheable(req, res, await users.list(parseInput(listQuerySchema, req.query))),
    }),
  },
  {
    path: '/:teamId/:userId',
    summary: "A member's profile",
    request: { params: userRefSchema },
    response: { description: 'The profile.', schema: userProfileSchema },
    otherResponses: { 304: notModified, 400: invalidResponse, 404: errorResponse('USERS.NOT_FOUND: no such member.') },
    handler: ({ users }) => ({
      answer: async (req, res) => sendCacheable(req, res, await users.get(parseInput(userRefSchema, req.params))),
    }),
  },
  {
    path: '/:teamId/:userId/settings',
    summary: "A member's settings (empty for an unknown member)",
    request: { params: userRefSchema },
    response: { description: 'Every setting the member has set.', schema: settingsResponseSchema },
    otherResponses: { 304: notModified, 400: invalidResponse },
    handler: ({ users }) => ({
      answer: async (req, res) => sendCacheable(req, res, { settings: await users.listSettings(parseInput(userRefSchema, req.params)) }),
    }),
  },
  {
    path: '/:teamId/:userId/settings/:key',
    summary: 'One setting (null when unset)',
    request: { params: settingParamsSchema },
    response: { description: 'The setting under its canonical key.', schema: settingResponseSchema },
    otherResponses: { 304: notModified, 400: invalidSettingResponse },
    handler: ({ users }) => ({
      answer: async (req, res) => {
        const { key, ...ref } = parseInput(settingParamsSchema, req.params);
        const value = await users.getSetting(ref, key);
        sendCacheable(req, res, { key: settingFor(key).key, value });
      },
    }),
  },
];
