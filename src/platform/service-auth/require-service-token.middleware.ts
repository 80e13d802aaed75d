import type { Request, RequestHandler, Response } from 'express';
import { InvalidServiceTokenError } from './service-token.errors';
import { createServiceTokenVerifier, type ServiceTokenVerifier, type ServiceTokenVerifierOptions } from './service-token.verifier';
import type { ServiceCaller } from './service-auth.types';

const REALM = 'jeeves-services';

/** RFC 6750 §3: say how to authenticate, and (unless nothing was sent) why the token failed. */
function challenge(err: InvalidServiceTokenError): string {
  if (err.reason === 'missing') return `Bearer realm="${REALM}"`;
  return `Bearer realm="${REALM}", error="invalid_token", error_description="${err.message.replace(/["\\]/g, "'")}"`;
}

/**
 * Verifies the request's service token and records the caller in `res.locals` (see
 * serviceCaller()). Synchronous (undefined) when the verifier accepted this token before, so
 * the hot path makes no promise; otherwise a promise that rejects on a refused token with
 * AUTH.INVALID_TOKEN, the Bearer challenge already set, for the app's error middleware to answer.
 */
export function authenticateServiceCall(verifier: ServiceTokenVerifier, req: Pick<Request, 'headers'>, res: Response): Promise<void> | undefined {
  // req.headers, not req.get(): the same value without the per-call lookup work.
  const authorization = req.headers.authorization;
  const known = verifier.known(authorization);
  if (known) {
    res.locals.serviceCaller = known;
    return undefined;
  }
  return verifier.verify(authorization).then(
    (caller) => {
      res.locals.serviceCaller = caller;
    },
    (err: unknown) => {
      if (err instanceof InvalidServiceTokenError) res.setHeader('WWW-Authenticate', challenge(err));
      throw err;
    },
  );
}

/**
 * Every extracted service puts this in front of its routes. A refused token becomes a 401
 * `{"error": {"code": "AUTH.INVALID_TOKEN", "message": <why>, "details": {"reason"}}}` through
 * the app's error middleware; the verified caller is in `res.locals` (see serviceCaller()).
 * Given a verifier, it shares that verifier's cache of verified tokens (the service's fast path uses it too).
 */
export function requireServiceToken(options: ServiceTokenVerifierOptions | ServiceTokenVerifier): RequestHandler {
  const verifier = 'verify' in options ? options : createServiceTokenVerifier(options);
  return async (req, res, next) => {
    await authenticateServiceCall(verifier, req, res);
    next();
  };
}

/** The caller that requireServiceToken verified for this request, if any. */
export function serviceCaller(res: Response): ServiceCaller | undefined {
  return res.locals.serviceCaller as ServiceCaller | undefined;
}
