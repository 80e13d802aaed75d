/**
 * Service-to-service authentication, module-agnostic: the caller side (token sources, a
 * caching provider, retry on 401) and the verifying side (middleware every extracted service
 * puts in front of its routes).
 */
export type { Clock, ServiceCaller, ServiceToken, TokenSource } from './service-auth.types';
export { systemClock } from './service-auth.types';
export { requestClientCredentialsToken, type ClientCredentialsRequest, type OAuthAccessToken } from './oauth-token.client';
export {
  createHttpTokenSource,
  createInProcessTokenSource,
  type HttpTokenSourceOptions,
  type InProcessTokenSourceOptions,
  type LocalTokenIssuer,
} from './token-sources';
export { createServiceTokenProvider, type ServiceTokenProvider, type ServiceTokenProviderOptions } from './service-token.provider';
export { withTokenRetry } from './token-retry';
export { createKeyResolver, type VerificationKeys } from './verification-keys';
export { createServiceTokenVerifier, type ServiceTokenVerifier, type ServiceTokenVerifierOptions } from './service-token.verifier';
export { InvalidServiceTokenError, VerificationKeysUnavailableError, type InvalidTokenReason } from './service-token.errors';
export { authenticateServiceCall, requireServiceToken, serviceCaller } from './require-service-token.middleware';
export { SERVICE_TOKEN_ISSUER, ADMIN_AUDIENCE } from './service-auth.constants';
