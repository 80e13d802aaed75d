import type { z } from 'zod';
import { authApiRoutes, SESSION_COOKIE } from '../modules/auth';
import { auditListSchema, auditQuerySchema } from '../modules/audit';
import { dashboardApiRoutes, modulesPanelSchema, queuesPanelSchema } from '../modules/dashboard';
import { slackAdminApiRoutes } from '../modules/slack';
import { tokensApiRoutes } from '../modules/tokens';
import { USERS_API_PATH, usersApiRoutes } from '../modules/users';
import { WEATHER_API_PATH, weatherApiRoutes } from '../modules/weather';
import { buildOpenApiDocument, errorResponse, jsonResponse, type ApiRoute, type OpenApiDocument } from '../platform/openapi';

/** Where the admin panels' JSON twins are mounted. */
export const ADMIN_API_PATH = '/api/admin';

/** A JSON twin answering GET <ADMIN_API_PATH><path> with `schema`; `unavailable` documents its 503. */
export function adminGet(path: string, summary: string, schema: z.ZodType, options: { unavailable?: string; request?: ApiRoute['request'] } = {}): ApiRoute {
  return {
    method: 'get',
    path: `${ADMIN_API_PATH}${path}`,
    tags: ['admin'],
    summary,
    ...(options.request ? { request: options.request } : {}),
    responses: { 200: jsonResponse(summary, schema), ...(options.unavailable ? { 503: errorResponse(options.unavailable) } : {}) },
  };
}

/**
 * Every route under /api/admin, behind an operator's session or an admin service token. A new
 * twin is one line here: `adminGet('/audit', 'The audit log, newest first', auditPageSchema)`
 * for a read, or a full ApiRoute (e.g. a POST with its body schema) spread in from its module.
 * test/integration/monolith.openapi.test.ts fails while a mounted /api route is missing here,
 * calls each parameterless read by itself, and needs a call added for a route with parameters
 * or a body (it fails until every documented operation is called).
 */
export const ADMIN_API_ROUTES: ApiRoute[] = [
  adminGet('/modules', 'The modules panel: where each switched module answers, and this process’s figures', modulesPanelSchema),
  adminGet('/queues', 'The queues panel: counts, throughput and the oldest waiting job of each queue', queuesPanelSchema, {
    unavailable: 'DASHBOARD.QUEUES_UNAVAILABLE: the job queue’s backend (Redis) did not answer.',
  }),
  adminGet('/audit', 'The audit log, newest first', auditListSchema, { request: { query: auditQuerySchema } }),
  ...slackAdminApiRoutes(ADMIN_API_PATH),
  ...dashboardApiRoutes(ADMIN_API_PATH),
];

/**
 * The monolith's /openapi.json: the same route descriptions the extracted services serve
 * (users, weather, tokens), plus what only the monolith has (the session, the admin twins).
 */
export function monolithOpenApi(): OpenApiDocument {
  return buildOpenApiDocument({
    title: 'Jeeves',
    version: '1.0.0',
    description:
      'The monolith’s JSON API. Module APIs take a service token whose audience is the module (users, weather); admin routes an operator’s session or a service token of audience admin.',
    open: tokensApiRoutes(),
    secured: [...usersApiRoutes(USERS_API_PATH), ...weatherApiRoutes(WEATHER_API_PATH)],
    sessions: [
      { cookie: SESSION_COOKIE, routes: authApiRoutes() },
      {
        cookie: SESSION_COOKIE,
        routes: ADMIN_API_ROUTES,
        orServiceToken: true,
        forbidden: 'AUTH.FORBIDDEN: signed in, but not an operator of this deployment.',
      },
    ],
  });
}
