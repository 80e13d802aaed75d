/** The tokens module's plain types (the book's TokenDealer): what callers see, never entities. */

/** OAuth 2.0 client_credentials, already authenticated at the HTTP edge or given in-process. */
export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  /** The service the token is for; becomes `aud`. */
  audience: string;
}

/** RFC 6749 §5.1, as sent on the wire. */
export interface AccessTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds. */
  expires_in: number;
}

/** A public signing key as served in the JWKS (RFC 7517). */
export interface PublicJwk {
  kty: string;
  kid: string;
  alg: string;
  use: 'sig';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

export interface JsonWebKeySet {
  keys: PublicJwk[];
}

export interface RegisteredClient {
  clientId: string;
  /** Shown once; only a hash is stored. */
  clientSecret: string;
  audiences: string[];
}

export interface SigningKeyInfo {
  kid: string;
  alg: string;
  /** ISO 8601. */
  createdAt: string;
  /** When it stops signing; null while it is the active key. */
  retireAfter: string | null;
  /** When it leaves the JWKS; null while it is the active key. */
  expiresAt: string | null;
}

/**
 * What other modules and services need from tokens: issue a token, publish the keys.
 * Implemented in-process (createTokensService) and over HTTP (createTokensHttpClient); both
 * pass one conformance suite.
 * Errors: TOKENS.INVALID_CLIENT (401), TOKENS.INVALID_AUDIENCE (400), TOKENS.INVALID_REQUEST (400).
 */
export interface TokenIssuer {
  issueToken(request: TokenRequest): Promise<AccessTokenResponse>;
  /** Every key whose tokens may still be alive: the active one and retired-but-not-expired ones. */
  jwks(): Promise<JsonWebKeySet>;
}

/** The full in-process service: the issuer plus administration (clients and keys). */
export interface TokensService extends TokenIssuer {
  /**
   * Registers a client allowed to ask for tokens for these audiences and returns its secret,
   * the only time it is visible. `secret` provisions a known one (from configuration) instead
   * of a generated one. Throws TOKENS.CLIENT_EXISTS (409), HTTP.VALIDATION (400).
   */
  registerClient(clientId: string, audiences: string[], options?: { secret?: string }): Promise<RegisteredClient>;
  /**
   * Makes a client exist with exactly this secret and these audiences, for clients provisioned
   * from configuration. With `overwrite: false` an existing client holding another secret is
   * left alone and 'conflict' returned, so two processes with different secrets cannot take
   * turns locking each other out.
   */
  ensureClient(clientId: string, audiences: string[], secret: string, options?: { overwrite?: boolean }): Promise<'created' | 'unchanged' | 'updated' | 'conflict'>;
  /** Returns whether a live client was revoked. Its tokens already issued live until they expire. */
  revokeClient(clientId: string): Promise<boolean>;
  /** Makes sure a signing key exists (call at start); returns the active one. */
  ensureActiveKey(): Promise<SigningKeyInfo>;
  /** A new active key; the old one stops signing now and stays in the JWKS until its tokens expire. */
  rotateKeys(): Promise<SigningKeyInfo>;
}
