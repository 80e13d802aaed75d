import { createTokensService, tokenEndpointLimits, tokensApiRoutes, tokensRouter, type TokensServiceOptions } from '../../src/modules/tokens';
import { buildOpenApiDocument } from '../../src/platform/openapi';
import { SERVICE_TOKEN_ISSUER } from '../../src/platform/service-auth';
import type { ServiceDefinition } from '../../src/service-host/service-host';

/** What a test may tune; a deployment runs the defaults. */
export type TokensServiceTuning = Pick<TokensServiceOptions, 'tokenTtlSeconds' | 'clock'>;

/**
 * The tokens module as its own service (`npm run service -- tokens`, `tokens-remote`). Its two
 * endpoints are the token endpoint and the key set, so they need no service token themselves;
 * anything it guards is verified against its own keys.
 */
export function defineTokensService(tuning: TokensServiceTuning = {}): ServiceDefinition {
  return {
    name: 'tokens',
    ownedModules: ['tokens'],
    async build({ dataSource, logger, redis, keyPrefix, keyring }) {
      const tokens = createTokensService({ dataSource, logger, issuer: SERVICE_TOKEN_ISSUER, keysAtRest: keyring, ...tuning });
      await tokens.ensureActiveKey();
      return {
        routes: [],
        publicRoutes: [{ path: '/', router: tokensRouter({ tokens, limits: tokenEndpointLimits({ prefix: `${keyPrefix}rl:`, ...(redis ? { redis } : {}) }) }) }],
        verificationKeys: { jwks: () => tokens.jwks() },
        openapi: buildOpenApiDocument({ title: 'Jeeves tokens service', version: '1.0.0', open: tokensApiRoutes() }),
      };
    },
  };
}

export const tokensService: ServiceDefinition = defineTokensService();
