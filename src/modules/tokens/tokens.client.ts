import { z } from 'zod';
import { UnavailableError } from '../../platform/errors';
import { requestJson } from '../../platform/http-client';
import { requestClientCredentialsToken } from '../../platform/service-auth';
import type { JsonWebKeySet, TokenIssuer } from './tokens.types';

export interface TokensHttpClientOptions {
  /** The extracted tokens service, e.g. `http://127.0.0.1:4003`. */
  baseUrl: string;
  timeoutMs?: number;
}

const jwksShape = z.object({
  keys: z.array(z.object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.literal('sig') }).passthrough()),
});

/**
 * The TokenIssuer of the extracted tokens service (`tokens-remote`): same interface, same
 * error codes as the in-process service, rebuilt from the wire.
 */
export function createTokensHttpClient({ baseUrl, timeoutMs = 5000 }: TokensHttpClientOptions): TokenIssuer {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async issueToken(request) {
      const token = await requestClientCredentialsToken({ tokenUrl: `${base}/oauth/token`, ...request, timeoutMs, service: 'TOKENS' });
      return { access_token: token.access_token, token_type: 'Bearer', expires_in: token.expires_in };
    },
    async jwks() {
      const { body } = await requestJson<unknown>(`${base}/.well-known/jwks.json`, { timeoutMs }, 'TOKENS');
      const parsed = jwksShape.safeParse(body);
      if (!parsed.success) throw new UnavailableError('TOKENS.BAD_RESPONSE', 'tokens service answered with an invalid JWKS');
      return parsed.data as JsonWebKeySet;
    },
  };
}
