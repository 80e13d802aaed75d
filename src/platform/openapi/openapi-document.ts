import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig, type ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/**
 * OpenAPI 3.1 documents generated from the zod schemas that validate requests, so the
 * document cannot drift from what the code accepts and answers. Modules describe their routes
 * as ApiRoutes; a process gathers them into one document and serves it at /openapi.json.
 */
export type ApiRoute = RouteConfig;
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The one error shape of the JSON API (platform/errors), as a reusable component. */
export const errorBodySchema = z
  .object({
    error: z.object({ code: z.string().meta({ example: 'USERS.NOT_FOUND' }), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: 'Error', description: 'Every failure of the JSON API: a stable code prefixed by module, and a message for people.' });

export function jsonBody(schema: z.ZodType, { required = true, description }: { required?: boolean; description?: string } = {}): ZodRequestBody {
  return { required, ...(description ? { description } : {}), content: { 'application/json': { schema } } };
}

export function jsonResponse(description: string, schema: z.ZodType): ResponseConfig {
  return { description, content: { 'application/json': { schema } } };
}

/** An answer in the app's `{"error": {"code", "message"}}` shape; the description names the codes. */
export function errorResponse(description: string): ResponseConfig {
  return jsonResponse(description, errorBodySchema);
}

export const SERVICE_TOKEN_SCHEME = 'serviceToken';
export const SESSION_SCHEME = 'session';

/** Routes behind a signed-in member's session cookie, optionally a service token instead (an admin's door). */
export interface SessionGuardedRoutes {
  /** The session cookie's name. */
  cookie: string;
  routes: ApiRoute[];
  /** Also open to a service token (the bearer scheme), as an alternative to the session. */
  orServiceToken?: boolean;
  /** The 403 answer's description: who, signed in, is still refused. */
  forbidden?: string;
}

export interface OpenApiDocumentOptions {
  title: string;
  version: string;
  description?: string;
  /** Routes behind a service token: marked with the bearer scheme, and its 401 and 503 answers added. */
  secured?: ApiRoute[];
  /** Routes anyone may call. */
  open?: ApiRoute[];
  /** Routes behind a session (browsers, the admin pages' own fetches), each group with its refusals. */
  sessions?: SessionGuardedRoutes[];
}

const securedResponses = {
  401: errorResponse('AUTH.INVALID_TOKEN: the service token is missing, expired, for another service or not signed by a known key.'),
  503: errorResponse('AUTH.KEYS_UNAVAILABLE: the keys that verify service tokens cannot be fetched (or the service itself is unavailable).'),
};

function sessionResponses(group: SessionGuardedRoutes): Record<number, ResponseConfig> {
  const responses: Record<number, ResponseConfig> = {
    401: errorResponse(`AUTH.SIGN_IN_REQUIRED: no session${group.orServiceToken ? '; AUTH.INVALID_TOKEN: a bearer token that is not a valid service token' : ''}.`),
  };
  if (group.forbidden) responses[403] = errorResponse(group.forbidden);
  return responses;
}

export function buildOpenApiDocument({ title, version, description, secured = [], open = [], sessions = [] }: OpenApiDocumentOptions): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  if (secured.length > 0 || sessions.some((group) => group.orServiceToken)) {
    registry.registerComponent('securitySchemes', SERVICE_TOKEN_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'A service token from the tokens module (OAuth 2.0 client_credentials), with this service as its audience.',
    });
  }
  for (const route of open) registry.registerPath(route);
  for (const route of secured) {
    // The route's own 503 (its module's unavailability) wins over the generic one.
    registry.registerPath({ ...route, security: [{ [SERVICE_TOKEN_SCHEME]: [] }], responses: { ...securedResponses, ...route.responses } });
  }
  if (sessions.length > 0) {
    // One cookie scheme: a process has one session cookie.
    registry.registerComponent('securitySchemes', SESSION_SCHEME, {
      type: 'apiKey',
      in: 'cookie',
      name: sessions[0]!.cookie,
      description: 'The session cookie set by Sign in with Slack (/login).',
    });
  }
  for (const group of sessions) {
    const security: Array<Record<string, string[]>> = [{ [SESSION_SCHEME]: [] }];
    if (group.orServiceToken) security.push({ [SERVICE_TOKEN_SCHEME]: [] });
    for (const route of group.routes) registry.registerPath({ ...route, security, responses: { ...sessionResponses(group), ...route.responses } });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title, version, ...(description ? { description } : {}) },
  });
}
