import type { Request } from 'express';
import OAuth2Strategy, { type StateStore, type VerifyCallback } from 'passport-oauth2';
import { SignInRejectedError } from './auth.errors';
import type { IdTokenVerifier } from './auth.id-token';
import type { LoginStateStore } from './auth.login-state';
import type { SlackOpenIdApi, SlackTokenResponse } from './auth.slack-api';
import type { Member } from './auth.types';

export const SLACK_STRATEGY = 'slack-openid';
export const SLACK_SCOPES = ['openid', 'profile', 'email'];

export interface SlackStrategyOptions {
  /** SLACK_OPENID_URL */
  authorizeUrl: string;
  /** SLACK_API_URL, where openid.connect.token lives. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** PUBLIC_URL + /auth/slack/callback */
  callbackUrl: string;
  states: LoginStateStore;
  api: SlackOpenIdApi;
  verifyIdToken: IdTokenVerifier;
}

type TokenCallback = (err: unknown, accessToken?: string, refreshToken?: string, results?: SlackTokenResponse) => void;

/**
 * Sign in with Slack (OpenID Connect) on passport-oauth2: it builds the authorize redirect,
 * keeps `state` in the session (LoginStateStore) and drives the callback; this class adds the
 * nonce, exchanges the code at openid.connect.token (Slack's own answer format, with a
 * timeout), and turns the id_token and openid.connect.userInfo into the signed-in member.
 */
export class SlackOpenIdStrategy extends OAuth2Strategy {
  constructor(options: SlackStrategyOptions) {
    const { api, states, verifyIdToken } = options;
    super(
      {
        authorizationURL: options.authorizeUrl,
        tokenURL: new URL('openid.connect.token', options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`).toString(),
        clientID: options.clientId,
        clientSecret: options.clientSecret,
        callbackURL: options.callbackUrl,
        scope: SLACK_SCOPES,
        scopeSeparator: ' ',
        // passport-oauth2 calls the four-argument store(req, state, meta, cb) that @types/passport-oauth2 does not list.
        store: states as unknown as StateStore,
        passReqToCallback: true,
        // userInfo is asked for only once the id_token checked out (in the verify function below).
        skipUserProfile: true,
      },
      // Six declared parameters: passport-oauth2 picks what it passes by the function's arity.
      (req: Request, accessToken: string, _refreshToken: string, results: SlackTokenResponse, _profile: unknown, done: VerifyCallback) => {
        const pending = states.verified(req);
        if (!pending) return done(new SignInRejectedError('no sign-in was started'));
        signedInMember(api, verifyIdToken, accessToken, results, pending.nonce).then(
          (member) => done(null, member),
          (err: unknown) => done(err),
        );
      },
    );
    this.name = SLACK_STRATEGY;
    // node-oauth would read Slack's {"ok": false} (HTTP 200) as a token response without a token.
    // passport-oauth2 wraps what this passes as an error in an InternalOAuthError (oauthError).
    const exchange = (code: string, params: Record<string, string>, callback: TokenCallback) => {
      api.exchangeCode({ ...params, code, client_id: options.clientId, client_secret: options.clientSecret }).then(
        (body) => callback(null, body.access_token, body.refresh_token, body),
        (err: unknown) => callback(err),
      );
    };
    this._oauth2.getOAuthAccessToken = exchange as unknown as typeof this._oauth2.getOAuthAccessToken;
  }

  /** The nonce travels with the state that LoginStateStore files (passport's options.state). */
  override authorizationParams(options: { state?: { nonce?: string } }): object {
    return options.state?.nonce ? { nonce: options.state.nonce } : {};
  }
}

async function signedInMember(api: SlackOpenIdApi, verifyIdToken: IdTokenVerifier, accessToken: string, tokens: SlackTokenResponse, nonce: string): Promise<Member> {
  if (typeof tokens.id_token !== 'string') throw new SignInRejectedError('Slack sent no id_token');
  const claims = await verifyIdToken(tokens.id_token, nonce);
  const info = await api.userInfo(accessToken);
  // OpenID Connect Core 5.3.2: userInfo must be about the member the id_token names.
  if (info.sub !== claims.sub || info['https://slack.com/team_id'] !== claims.teamId || info['https://slack.com/user_id'] !== claims.userId) {
    throw new SignInRejectedError("Slack's userInfo is about another member than the id_token");
  }
  const name = info.name ?? claims.name;
  const email = info.email ?? claims.email;
  return { teamId: claims.teamId, userId: claims.userId, ...(name ? { name } : {}), ...(email ? { email } : {}) };
}
