import { Router } from 'express';
import type { OpenApiDocument } from './openapi-document';

/** GET /openapi.json: the process's API, unauthenticated so clients and tools can discover it. */
export function openApiRouter(document: OpenApiDocument): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
