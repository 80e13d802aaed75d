/** The fast path ahead of Express's router, and the declared reads it answers (router, fast read and OpenAPI from one declaration). */
export { installFastPath, type Endpoint, type EndpointHandler, type FastPathOptions, type FastReads } from './fast-path.installer';
export { readApiRoutes, serveReads, type FastReadRequest, type ReadHandler, type ReadRoute } from './fast-path.reads';
