import { AppError } from '../../platform/errors';

/** Unknown client, revoked client and wrong secret look the same from outside: no client enumeration. */
export class InvalidClientError extends AppError {
  constructor() {
    super('TOKENS.INVALID_CLIENT', 'Client authentication failed.', 401);
  }
}

export class InvalidAudienceError extends AppError {
  constructor(audience: string, message = `This client may not ask for tokens for "${audience}".`) {
    super('TOKENS.INVALID_AUDIENCE', message, 400);
  }
}

export class InvalidTokenRequestError extends AppError {
  constructor(message: string) {
    super('TOKENS.INVALID_REQUEST', message, 400);
  }
}

export class UnsupportedGrantTypeError extends AppError {
  constructor(grantType: string) {
    super('TOKENS.UNSUPPORTED_GRANT_TYPE', `Grant type "${grantType}" is not supported; use client_credentials.`, 400);
  }
}

export class ClientExistsError extends AppError {
  constructor(clientId: string) {
    super('TOKENS.CLIENT_EXISTS', `Client "${clientId}" is already registered.`, 409);
  }
}

/** A stored private key that cannot be opened: the service is misconfigured, an operator must act. */
export class SigningKeyUnreadableError extends AppError {
  constructor(kid: string, why: string, cause?: unknown) {
    super('TOKENS.SIGNING_KEY_UNREADABLE', `Signing key ${kid} cannot be read: ${why}.`, 500, { cause });
  }
}
