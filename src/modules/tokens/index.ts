/**
 * The tokens module's face (the book's TokenDealer): OAuth 2.0 client_credentials issuing
 * short-lived ES256 JWTs, a JWKS, key rotation. Nothing else in this folder is imported from
 * outside. Verification lives in platform/service-auth, which every service uses.
 */
export type {
  AccessTokenResponse,
  JsonWebKeySet,
  PublicJwk,
  RegisteredClient,
  SigningKeyInfo,
  TokenIssuer,
  TokenRequest,
  TokensService,
} from './tokens.types';
export { createTokensService, type TokensServiceOptions } from './tokens.service';
export { createFakeTokensService, type FakeTokensServiceOptions } from './tokens.fake';
export { createTokensHttpClient, type TokensHttpClientOptions } from './tokens.client';
export { tokenEndpointLimits, tokensRouter, type TokenEndpointLimitOptions, type TokensRouterDependencies } from './tokens.routes';
export { tokensEntities } from './tokens.entities';
export {
  ClientExistsError,
  InvalidAudienceError,
  InvalidClientError,
  InvalidTokenRequestError,
  SigningKeyUnreadableError,
  UnsupportedGrantTypeError,
} from './tokens.errors';
export { tokensApiRoutes } from './tokens.openapi';
