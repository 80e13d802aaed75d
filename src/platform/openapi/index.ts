/** OpenAPI, module-agnostic: build a document from zod route descriptions, serve it, check answers against it. */
export {
  buildOpenApiDocument,
  errorBodySchema,
  errorResponse,
  jsonBody,
  jsonResponse,
  SERVICE_TOKEN_SCHEME,
  SESSION_SCHEME,
  type SessionGuardedRoutes,
  type ApiRoute,
  type OpenApiDocument,
  type OpenApiDocumentOptions,
} from './openapi-document';
export { openApiRouter } from './openapi.router';
export { createOpenApiResponseValidator, type ObservedResponse, type OpenApiResponseValidator } from './openapi-response.validator';
