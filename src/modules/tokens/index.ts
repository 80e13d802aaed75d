/**
 * The tokens module's face (the book's TokenDealer): OAuth 2.0 client_credentials issuing
 * short-lived ES256 JWTs, a JWKS, key rotation. Nothing else in this folder is imported from
 * outside. Verification lives in platform/service-auth, which every service uses.
 */
export type { TokenIssuer, TokensService } from './tokens.types';
export { createTokensService, type TokensServiceOptions } from './tokens.service';
export { createFakeTokensService } from './tokens.fake';
export { createTokensHttpClient } from './tokens.client';
export { tokenEndpointLimits, tokensRouter } from './tokens.routes';
export { tokensEntities } from './tokens.entities';
export { tokensApiRoutes } from './tokens.openapi';
