import { requestClientCredentialsToken } from './oauth-token.client';
import type { TokenSource } from './service-auth.types';

export interface HttpTokenSourceOptions {
  /** The token endpoint, e.g. `http://tokens:3000/oauth/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

/** Tokens from an OAuth 2.0 token endpoint (the extracted tokens service). */
export function createHttpTokenSource(options: HttpTokenSourceOptions): TokenSource {
  return {
    async issue(audience) {
      const response = await requestClientCredentialsToken({ ...options, audience });
      return { token: response.access_token, expiresIn: response.expires_in };
    },
  };
}

/**
 * What the in-process source needs from the tokens module, written structurally so that
 * platform/ does not import a module: the tokens service satisfies it as it is.
 */
export interface LocalTokenIssuer {
  issueToken(request: { clientId: string; clientSecret: string; audience: string }): Promise<{ access_token: string; expires_in: number }>;
}

export interface InProcessTokenSourceOptions {
  issuer: LocalTokenIssuer;
  clientId: string;
  clientSecret: string;
}

/**
 * Tokens from the tokens module in this process. It still presents the client's credentials,
 * so a wrong secret or audience fails here exactly as it would over HTTP.
 */
export function createInProcessTokenSource({ issuer, clientId, clientSecret }: InProcessTokenSourceOptions): TokenSource {
  return {
    async issue(audience) {
      const response = await issuer.issueToken({ clientId, clientSecret, audience });
      return { token: response.access_token, expiresIn: response.expires_in };
    },
  };
}
