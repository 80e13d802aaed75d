import type { RedisClient } from '../../platform/redis';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { toAppError } from '../../platform/errors';
import { byIp, createRateLimit } from '../../platform/rate-limit';
import { claimedClientId, parseTokenRequest, toOAuthError } from './tokens.oauth';
import type { TokenIssuer } from './tokens.types';

export interface TokensRouterDependencies {
  tokens: TokenIssuer;
  /** Rate limits on POST /oauth/token, run after its body is parsed (see tokenEndpointLimits). */
  limits?: RequestHandler[];
}

const BODY_LIMIT = '8kb';
const JWKS_MAX_AGE_SECONDS = 60;

/**
 * The token endpoint answers errors in RFC 6749 §5.2's shape, `{"error", "error_description"}`,
 * not the app's `{"error": {"code", "message"}}`: OAuth clients everywhere expect that. Only
 * client errors are mapped here; server faults fall through to the app's error middleware.
 */
const oauthErrors: ErrorRequestHandler = (err, _req, res, next) => {
  const oauth = toOAuthError(toAppError(err));
  if (!oauth) {
    next(err);
    return;
  }
  // §5.2: a failed client authentication answers with the scheme to use.
  if (oauth.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="jeeves-tokens"');
  res.status(oauth.status).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(oauth.body);
};

/** POST /oauth/token (client_credentials) and GET /.well-known/jwks.json. Mount at the root. */
export function tokensRouter({ tokens, limits = [] }: TokensRouterDependencies): Router {
  const router = Router();
  // Own parsers so the router works mounted anywhere; a body already parsed by the app is left alone.
  const parsers = [express.urlencoded({ extended: false, limit: BODY_LIMIT }), express.json({ limit: BODY_LIMIT })];

  const issue: RequestHandler = async (req, res) => {
    const request = parseTokenRequest(req.get('authorization'), req.body);
    const token = await tokens.issueToken(request);
    // §5.1: responses carrying tokens must not be cached.
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(token);
  };

  router.post('/oauth/token', ...parsers, ...limits, issue, oauthErrors);

  router.get('/.well-known/jwks.json', async (_req, res) => {
    // Short: verifiers also refetch on an unknown kid, so a rotation is seen at once anyway.
    res.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).json(await tokens.jwks());
  });

  return router;
}

export interface TokenEndpointLimitOptions {
  /** Counters shared by every process when given. */
  redis?: RedisClient;
  /** Prefix of the counters' keys (default jeeves:rl:). */
  prefix?: string;
  /** Requests per minute per client id (default 60) and per IP (default 120). */
  perClient?: number;
  perIp?: number;
}

/** So a client secret cannot be guessed at speed: a minute's window per claimed client id and per IP. */
export function tokenEndpointLimits({ redis, prefix, perClient = 60, perIp = 120 }: TokenEndpointLimitOptions = {}): RequestHandler[] {
  const shared = { ...(redis ? { redis } : {}), ...(prefix ? { prefix } : {}) };
  return [
    createRateLimit({ name: 'oauth-token-ip', windowMs: 60_000, limit: perIp, key: byIp, ...shared }),
    createRateLimit({ name: 'oauth-token-client', windowMs: 60_000, limit: perClient, key: (req) => claimedClientId(req.get('authorization'), req.body), ...shared }),
  ];
}
