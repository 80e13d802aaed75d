import { decodeProtectedHeader, jwtVerify } from 'jose';
import { classifyVerificationError, InvalidServiceTokenError } from './service-token.errors';
import { systemClock, type Clock, type ServiceCaller } from './service-auth.types';
import { createVerifiedTokenCache } from './verified-token-cache';
import { createVerificationKeySet, keySetMaxAgeMs, type VerificationKeys } from './verification-keys';

export interface ServiceTokenVerifierOptions {
  keys: VerificationKeys;
  /** This service's name: tokens must carry it as `aud`. */
  audience: string;
  /** Who issues service tokens (`iss`). */
  issuer: string;
  /** Accepted signature algorithms; anything else (`none`, HS256 with a public key...) is refused. */
  algorithms?: string[];
  /** Seconds of leeway on `exp`/`nbf` for clocks that drift. */
  clockToleranceSeconds?: number;
  /** Expected `typ` header: RFC 9068 access tokens are `at+jwt`. */
  typ?: string;
  clock?: Clock;
}

export interface ServiceTokenVerifier {
  /** Verifies an Authorization header value; throws AUTH.INVALID_TOKEN (401) or AUTH.KEYS_UNAVAILABLE (503). */
  verify(authorization: string | undefined): Promise<ServiceCaller>;
  /**
   * The caller of a token this verifier accepted before and still accepts (its cache), without
   * a promise: undefined means "ask verify()", never "refused".
   */
  known(authorization: string | undefined): ServiceCaller | undefined;
  /** Resolves when the verification keys can be had; rejects saying why not (a readiness check). */
  keysReady(): Promise<void>;
}

// RFC 6750 §2.1 b64token, and a compact JWS has exactly three parts.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const COMPACT_JWS = /^[\w-]+\.[\w-]*\.[\w-]*$/;

function extractToken(authorization: string | undefined): string {
  if (!authorization || authorization.trim() === '') {
    throw new InvalidServiceTokenError('missing', 'A service token is required: send "Authorization: Bearer <token>".');
  }
  const match = BEARER.exec(authorization.trim());
  if (!match) throw new InvalidServiceTokenError('malformed', 'The Authorization header is not "Bearer <token>".');
  const token = match[1]!;
  if (!COMPACT_JWS.test(token)) throw new InvalidServiceTokenError('malformed', 'The token is not a well-formed signed JWT.');
  return token;
}

/** Refuses an unexpected `alg` before any key lookup, naming it: `none` must never reach a verifier. */
function checkAlgorithm(token: string, algorithms: string[]): void {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch (err) {
    throw new InvalidServiceTokenError('malformed', 'The token header is not valid base64url JSON.', err);
  }
  if (typeof alg !== 'string' || !algorithms.includes(alg)) {
    throw new InvalidServiceTokenError('disallowed_alg', `The token algorithm "${String(alg)}" is not accepted; expected ${algorithms.join(' or ')}.`);
  }
}

export function createServiceTokenVerifier(options: ServiceTokenVerifierOptions): ServiceTokenVerifier {
  const { audience, issuer, algorithms = ['ES256'], clockToleranceSeconds = 5, typ = 'at+jwt', clock = systemClock } = options;
  const keySet = createVerificationKeySet(options.keys, clock);
  const getKey = keySet.getKey;
  const verified = createVerifiedTokenCache({ clock, clockToleranceSeconds, maxAgeMs: keySetMaxAgeMs(options.keys) });
  return {
    keysReady: () => keySet.ready(),
    known(authorization) {
      const match = authorization === undefined ? null : BEARER.exec(authorization.trim());
      return match ? verified.get(match[1]!) : undefined;
    },
    async verify(authorization) {
      const token = extractToken(authorization);
      // The exact string verified before under these same audience, issuer, typ and algorithms.
      const known = verified.get(token);
      if (known) return known;
      checkAlgorithm(token, algorithms);
      try {
        const { payload } = await jwtVerify(token, getKey, {
          algorithms,
          audience,
          issuer,
          typ,
          clockTolerance: clockToleranceSeconds,
          currentDate: new Date(clock()),
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        const caller: ServiceCaller = { clientId: payload.sub!, tokenId: payload.jti, expiresAt: payload.exp! };
        verified.set(token, caller);
        return caller;
      } catch (err) {
        throw classifyVerificationError(err, { audience, issuer, typ });
      }
    },
  };
}
