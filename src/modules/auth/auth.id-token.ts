import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import { SignInRejectedError, SlackUnavailableError } from './auth.errors';

/** Slack's id_token issuer, whatever URL the authorize page is reached at. */
export const SLACK_ISSUER = 'https://slack.com';
export const TEAM_ID_CLAIM = 'https://slack.com/team_id';
export const USER_ID_CLAIM = 'https://slack.com/user_id';

export interface IdTokenClaims {
  sub: string;
  teamId: string;
  userId: string;
  email?: string;
  name?: string;
}

export interface IdTokenVerifierOptions {
  /** Slack's signing keys (createKeyResolver over https://slack.com/openid/connect/keys). */
  keys: JWTVerifyGetKey;
  /** SLACK_CLIENT_ID: the token must be meant for this app (`aud`). */
  clientId: string;
  now?: () => Date;
  clockToleranceSeconds?: number;
}

/** Checks an id_token and that it answers this sign-in (its nonce); throws SignInRejectedError otherwise. */
export type IdTokenVerifier = (idToken: string, nonce: string) => Promise<IdTokenClaims>;

const REJECTED: Record<string, string> = {
  ERR_JWT_EXPIRED: 'the id_token has expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "the id_token's signature does not verify",
  ERR_JWKS_NO_MATCHING_KEY: 'the id_token is signed by a key Slack does not publish',
  ERR_JOSE_ALG_NOT_ALLOWED: 'the id_token is signed with an algorithm Slack does not use',
  ERR_JWS_INVALID: 'the id_token is not a signed JWT',
  ERR_JWT_INVALID: 'the id_token is not a signed JWT',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'the id_token names no single key',
};

const CLAIM_REJECTED: Record<string, string> = {
  iss: 'the id_token was not issued by Slack',
  aud: 'the id_token is meant for another app',
  iat: 'the id_token is not valid yet (check the clocks)',
  nbf: 'the id_token is not valid yet (check the clocks)',
};

/** Why jose refused the token, or undefined when it could not check (the keys were not to be had). */
function rejection(err: unknown): string | undefined {
  const e = (err ?? {}) as { code?: unknown; claim?: unknown; reason?: unknown };
  if (e.code !== 'ERR_JWT_CLAIM_VALIDATION_FAILED') return REJECTED[String(e.code)];
  const claim = String(e.claim);
  if (e.reason === 'missing') return `the id_token has no "${claim}" claim`;
  return CLAIM_REJECTED[claim] ?? `the id_token's "${claim}" claim is not acceptable`;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** OpenID Connect Core 3.1.3.7 for Slack: RS256 by Slack's published keys, iss, aud, exp, nonce. */
export function createIdTokenVerifier({ keys, clientId, now = () => new Date(), clockToleranceSeconds = 30 }: IdTokenVerifierOptions): IdTokenVerifier {
  return async (idToken, nonce) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        algorithms: ['RS256'],
        issuer: SLACK_ISSUER,
        audience: clientId,
        currentDate: now(),
        clockTolerance: clockToleranceSeconds,
        // Also refuses an iat in the future: a token is minted for the exchange that returns it.
        maxTokenAge: '10m',
        requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
      }));
    } catch (err) {
      const reason = rejection(err);
      // Anything else (keys unreachable, a bad answer from the keys URL) is not the token's fault.
      throw reason ? new SignInRejectedError(reason) : new SlackUnavailableError('with its signing keys', err);
    }
    if (payload.nonce !== nonce) throw new SignInRejectedError('the id_token answers another sign-in (nonce)');
    const sub = text(payload.sub);
    const teamId = text(payload[TEAM_ID_CLAIM]);
    const userId = text(payload[USER_ID_CLAIM]);
    if (!sub || !teamId || !userId) throw new SignInRejectedError('the id_token names no Slack team and user');
    const email = text(payload.email);
    const name = text(payload.name);
    return { sub, teamId, userId, ...(email ? { email } : {}), ...(name ? { name } : {}) };
  };
}
