/** Milliseconds since the epoch. Injected so tests move time instead of sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** One service token and how long it lives, as the issuer said. */
export interface ServiceToken {
  token: string;
  /** Seconds from issue. */
  expiresIn: number;
}

/**
 * Where a caller gets its service tokens: the tokens endpoint over HTTP, or the tokens module
 * in the same process. Both behave the same (one conformance suite), so the token provider
 * never knows which one it has.
 */
export interface TokenSource {
  issue(audience: string): Promise<ServiceToken>;
}

/** The authenticated caller of a service endpoint, from a verified token. */
export interface ServiceCaller {
  /** The client id (`sub`). */
  clientId: string;
  /** The token id (`jti`), for logs and replay analysis. */
  tokenId: string | undefined;
  /** Seconds since the epoch. */
  expiresAt: number;
}
