import { z } from 'zod';
import { errorResponse, jsonBody, jsonResponse, type ApiRoute } from '../../platform/openapi';
import { placementChangeResponseSchema } from './dashboard.placement';
import { deadLettersQuery, membersQuery, usageQuery, workspacesQuery } from './dashboard.workspace-viewer';
import {
  deadLetterDiscardedSchema,
  deadLetterRetriedSchema,
  deadLettersPanelSchema,
  memberRoleChangedSchema,
  membersPanelSchema,
  usagePanelSchema,
  workspacesPanelSchema,
} from './dashboard.workspace-schemas';

const tags = ['admin'];
const invalid = errorResponse('HTTP.VALIDATION: a parameter is out of bounds.');
const otherWorkspace = errorResponse('AUTH.FORBIDDEN: a workspace admin acts on their own workspace only.');
const notFound = (what: string) => errorResponse(`Not found: no such ${what}.`);

const moduleParams = z.object({ name: z.string().meta({ example: 'weather' }) });
const deadLetterParams = z.object({ id: z.string().regex(/^\d+$/) });
const memberParams = z.object({ teamId: z.string().meta({ example: 'T0123ABCD' }), userId: z.string().meta({ example: 'U0123ABCD' }) });
/** The JSON body of a move, as sent (the router also checks that `rollout` comes with shadow and remote). */
const placementBody = z.object({ placement: z.enum(['local', 'shadow', 'remote']), rollout: z.number().int().min(0).max(100).optional() });

function read(path: string, summary: string, query: z.ZodObject, schema: z.ZodType): ApiRoute {
  return { method: 'get', path, tags, summary, request: { query }, responses: { 200: jsonResponse(summary, schema), 400: invalid, 403: otherWorkspace } };
}

function act(path: string, summary: string, params: z.ZodObject, schema: z.ZodType, extra: ApiRoute['responses'] = {}): ApiRoute {
  return { method: 'post', path, tags, summary, request: { params }, responses: { 200: jsonResponse(summary, schema), 403: otherWorkspace, ...extra } };
}

/** The dashboard's JSON twins and actions at `basePath` (the monolith mounts them at /api/admin). */
export function dashboardApiRoutes(basePath: string): ApiRoute[] {
  return [
    {
      method: 'post',
      path: `${basePath}/modules/{name}/placement`,
      tags,
      summary: "Moves a module: writes its -remote and -shadow flags in the flag backend, audited",
      request: { params: moduleParams, body: jsonBody(placementBody) },
      responses: {
        200: jsonResponse('The placement before and after the move.', placementChangeResponseSchema),
        400: errorResponse('DASHBOARD.INVALID_PLACEMENT: placement or rollout out of bounds.'),
        404: notFound('extractable module'),
        503: errorResponse('DASHBOARD.FLAGS_READ_ONLY: the flag backend cannot be written from here.'),
      },
    },
    read(`${basePath}/dead-letters`, 'Dead letters, newest first, text redacted (one workspace for its admin)', deadLettersQuery, deadLettersPanelSchema),
    act(`${basePath}/dead-letters/{id}/retry`, 'Queues a dead letter again and removes it, audited', deadLetterParams, deadLetterRetriedSchema, {
      404: notFound('dead letter'),
      409: errorResponse('DASHBOARD.WORKSPACE_UNINSTALLED: its workspace removed Jeeves.'),
    }),
    act(`${basePath}/dead-letters/{id}/discard`, 'Deletes a dead letter, audited', deadLetterParams, deadLetterDiscardedSchema, { 404: notFound('dead letter') }),
    read(`${basePath}/workspaces`, 'Installations: scopes, token state, uninstalled ones', workspacesQuery, workspacesPanelSchema),
    read(`${basePath}/members`, 'Members with their roles: search and paging', membersQuery, membersPanelSchema),
    act(`${basePath}/members/{teamId}/{userId}/promote`, "Grants the workspace's admin role, audited", memberParams, memberRoleChangedSchema, { 400: invalid }),
    act(`${basePath}/members/{teamId}/{userId}/demote`, "Revokes the workspace's admin role (never the last admin's), audited", memberParams, memberRoleChangedSchema, {
      400: invalid,
      409: errorResponse('DASHBOARD.LAST_ADMIN: promote another admin first.'),
    }),
    read(`${basePath}/usage`, 'Messages answered per day and workspace, and reply latency', usageQuery, usagePanelSchema),
  ];
}
