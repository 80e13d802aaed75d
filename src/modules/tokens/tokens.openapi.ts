import { z } from 'zod';
import { jsonResponse, type ApiRoute } from '../../platform/openapi';
import type { AccessTokenResponse, JsonWebKeySet } from './tokens.types';

/**
 * tokensRouter's two endpoints. They speak the OAuth 2.0 and JWKS wire formats (RFC 6749,
 * RFC 7517), not the app's JSON API, so their shapes are described here in those terms.
 */

const tokenRequestSchema = z
  .object({
    grant_type: z.literal('client_credentials'),
    audience: z.string().optional().meta({ description: 'The service the token is for; becomes `aud`. `scope` is accepted as a synonym.' }),
    scope: z.string().optional(),
    client_id: z.string().optional().meta({ description: 'With client_secret, when the client does not authenticate with HTTP Basic.' }),
    client_secret: z.string().optional(),
  })
  .meta({ id: 'TokenRequest' });

const accessTokenResponseSchema = z
  .object({
    access_token: z.string().meta({ description: 'An ES256 JWT (typ at+jwt) with iss, sub, aud, exp, iat, jti' }),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().positive().meta({ description: 'Seconds' }),
  })
  .meta({ id: 'AccessTokenResponse' }) satisfies z.ZodType<AccessTokenResponse>;

const publicJwkSchema = z.looseObject({
  kty: z.string(),
  kid: z.string(),
  alg: z.string(),
  use: z.literal('sig'),
  crv: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
  n: z.string().optional(),
  e: z.string().optional(),
});

const jwksSchema = z
  .object({ keys: z.array(publicJwkSchema) })
  .meta({ id: 'JsonWebKeySet', description: 'The active signing key and retired ones whose tokens may still be alive' }) satisfies z.ZodType<JsonWebKeySet>;

const oauthErrorSchema = z
  .object({
    error: z.string().meta({ description: 'invalid_request, invalid_client, invalid_scope or unsupported_grant_type' }),
    error_description: z.string(),
    code: z.string().meta({ description: "Jeeves' error code (TOKENS.INVALID_CLIENT...), so its client rebuilds the same error" }),
  })
  .meta({ id: 'OAuthError' });

export function tokensApiRoutes(): ApiRoute[] {
  const tags = ['tokens'];
  const form = { schema: tokenRequestSchema };
  return [
    {
      method: 'post',
      path: '/oauth/token',
      tags,
      summary: 'OAuth 2.0 client_credentials: a short-lived service token for one audience',
      description: 'The client authenticates with HTTP Basic (preferred) or client_id and client_secret in the body.',
      request: { body: { required: true, content: { 'application/x-www-form-urlencoded': form, 'application/json': form } } },
      responses: {
        200: jsonResponse('The token. Not cacheable.', accessTokenResponseSchema),
        400: jsonResponse('invalid_request, unsupported_grant_type or invalid_scope (an audience the client may not ask for).', oauthErrorSchema),
        401: jsonResponse('invalid_client: unknown or revoked client, or a wrong secret.', oauthErrorSchema),
      },
    },
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      tags,
      summary: 'The public keys that verify service tokens',
      responses: { 200: jsonResponse('The key set; refetch it when a token names an unknown kid.', jwksSchema) },
    },
  ];
}
