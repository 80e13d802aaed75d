import type { RequestHandler, Response } from 'express';
import { InvalidServiceTokenError } from './service-token.errors';
import { createServiceTokenVerifier, type ServiceTokenVerifierOptions } from './service-token.verifier';
import type { ServiceCaller } from './service-auth.types';

const REALM = 'jeeves-services';

/** RFC 6750 §3: say how to authenticate, and (unless nothing was sent) why the token failed. */
function challenge(err: InvalidServiceTokenError): string {
  if (err.reason === 'missing') return `Bearer realm="${REALM}"`;
  return `Bearer realm="${REALM}", error="invalid_token", error_description="${err.message.replace(/["\\]/g, "'")}"`;
}

/**
 * Every extracted service puts this in front of its routes. A refused token becomes a 401
 * `{"error": {"code": "AUTH.INVALID_TOKEN", "message": <why>, "details": {"reason"}}}` through
 * the app's error middleware; the verified caller is in `res.locals` (see serviceCaller()).
 */
export function requireServiceToken(options: ServiceTokenVerifierOptions): RequestHandler {
  const verifier = createServiceTokenVerifier(options);
  return async (req, res, next) => {
    try {
      res.locals.serviceCaller = await verifier.verify(req.get('authorization'));
    } catch (err) {
      if (err instanceof InvalidServiceTokenError) res.setHeader('WWW-Authenticate', challenge(err));
      throw err;
    }
    next();
  };
}

/** The caller that requireServiceToken verified for this request, if any. */
export function serviceCaller(res: Response): ServiceCaller | undefined {
  return res.locals.serviceCaller as ServiceCaller | undefined;
}
