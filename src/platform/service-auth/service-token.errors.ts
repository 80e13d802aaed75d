import { AppError, UnavailableError } from '../errors';

/** Why a service token was refused; sent as `details.reason` so callers and logs can tell cases apart. */
export type InvalidTokenReason =
  | 'missing'
  | 'malformed'
  | 'disallowed_alg'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_type'
  | 'missing_claim'
  | 'invalid_claims';

/** 401 for every refused token: one code, so a caller's retry logic needs to know only this one. */
export class InvalidServiceTokenError extends AppError {
  constructor(
    readonly reason: InvalidTokenReason,
    message: string,
    cause?: unknown,
  ) {
    super('AUTH.INVALID_TOKEN', message, 401, { cause, details: { reason } });
  }
}

/** The keys could not be fetched: not the caller's fault, so 503 rather than 401. */
export class VerificationKeysUnavailableError extends UnavailableError {
  constructor(cause: unknown) {
    super('AUTH.KEYS_UNAVAILABLE', 'The keys that verify service tokens cannot be fetched right now.', cause);
  }
}

interface JoseLikeError {
  code?: unknown;
  claim?: unknown;
  reason?: unknown;
}

export interface ClassifyContext {
  audience: string;
  issuer: string;
  typ: string;
}

function claimFailure(err: JoseLikeError, ctx: ClassifyContext): InvalidServiceTokenError {
  const claim = String(err.claim);
  if (err.reason === 'missing') return new InvalidServiceTokenError('missing_claim', `The token has no "${claim}" claim.`, err);
  switch (claim) {
    case 'aud':
      return new InvalidServiceTokenError('wrong_audience', `The token is meant for another service; this one is "${ctx.audience}".`, err);
    case 'iss':
      return new InvalidServiceTokenError('wrong_issuer', `The token was not issued by "${ctx.issuer}".`, err);
    case 'nbf':
    case 'iat':
      return new InvalidServiceTokenError('not_yet_valid', 'The token is not valid yet (check the clocks).', err);
    case 'typ':
      return new InvalidServiceTokenError('wrong_type', `The token is not a service access token (typ must be "${ctx.typ}").`, err);
    default:
      return new InvalidServiceTokenError('invalid_claims', `The token's "${claim}" claim is not acceptable.`, err);
  }
}

/**
 * Maps jose's errors (by their stable `code`, not their class) to a 401 with a clear reason,
 * or to 503 when the failure is ours: the key set could not be fetched.
 */
export function classifyVerificationError(err: unknown, ctx: ClassifyContext): AppError {
  if (err instanceof InvalidServiceTokenError) return err;
  const e = (err ?? {}) as JoseLikeError;
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return new InvalidServiceTokenError('expired', 'The token has expired.', err);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claimFailure(e, ctx);
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new InvalidServiceTokenError('unknown_key', 'The token was signed by a key this service does not know.', err);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new InvalidServiceTokenError('bad_signature', 'The token signature does not verify: it was altered or signed by another key.', err);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new InvalidServiceTokenError('disallowed_alg', 'The token is signed with an algorithm this service does not accept.', err);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWK_INVALID':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new InvalidServiceTokenError('malformed', 'The token is not a well-formed signed JWT.', err);
    default:
      // JWKS timeouts, non-200 answers, bad JSON, a failing local key function: we cannot check, which is not a 401.
      return new VerificationKeysUnavailableError(err);
  }
}
