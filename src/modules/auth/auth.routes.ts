import { randomBytes } from 'node:crypto';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Passport } from 'passport';
import OAuth2Strategy from 'passport-oauth2';
import { toAppError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { Csrf } from './auth.csrf';
import { SignInFailedError, SignInNotConfiguredError, SignInRejectedError } from './auth.errors';
import type { Guards } from './auth.guards';
import { CALLBACK_PATH, currentMember, deny, localPath, LOGIN_PATH, LOGOUT_PATH } from './auth.http';
import type { LoginStateStore } from './auth.login-state';
import { signedOutPage, signOutPage } from './auth.pages';
import { endSession } from './auth.session';
import { SLACK_STRATEGY } from './auth.slack-strategy';
import type { Member, Roles } from './auth.types';

export const SESSION_API_PATH = '/api/auth/session';

export interface AuthRouterOptions {
  session: RequestHandler;
  /** Null when SLACK_CLIENT_ID/SECRET are unset: sign-in answers 503, every other door still holds. */
  authenticator: InstanceType<typeof Passport> | null;
  states: LoginStateStore;
  csrf: Csrf;
  guards: Guards;
  roles: Roles;
  afterSignIn: string;
  secureCookie: boolean;
  logger: Logger;
}

function noStore(res: Response): void {
  res.set('Cache-Control', 'no-store');
}

/**
 * Mounted at '/', ahead of every route that needs a session: the session, Passport and the
 * CSRF check run for what follows it, and it answers /login, the callback and /logout itself.
 */
export function createAuthRouter(options: AuthRouterOptions): Router {
  const { authenticator, states, csrf, guards, roles, afterSignIn, logger } = options;
  const router = Router();
  router.use(options.session);
  if (authenticator) router.use(authenticator.initialize(), authenticator.session());
  router.use(csrf.middleware);

  /** A sign-in that does not go through: a page saying why, logged as a refusal, or as our failure. */
  const refuse = (req: Request, res: Response, next: NextFunction, err: unknown) => {
    // passport-oauth2 wraps what the code exchange failed with.
    const cause = err instanceof OAuth2Strategy.InternalOAuthError ? (err.oauthError as unknown) : err;
    const error = toAppError(cause);
    if (error.status >= 500) logger.error({ err: cause, code: error.code }, 'sign-in failed');
    else logger.warn({ code: error.code }, error.message);
    noStore(res);
    deny(req, res, next, error);
  };

  router.get(LOGIN_PATH, (req, res, next) => {
    if (!authenticator) return refuse(req, res, next, new SignInNotConfiguredError());
    noStore(res);
    const started = { nonce: randomBytes(32).toString('base64url'), returnTo: localPath(req.query.next) ?? afterSignIn };
    // passport-oauth2 hands an object state to the store (@types/passport types it as a string only).
    authenticator.authenticate(SLACK_STRATEGY, { state: started as unknown as string })(req, res, next);
  });

  router.get(CALLBACK_PATH, (req, res, next) => {
    if (!authenticator) return refuse(req, res, next, new SignInNotConfiguredError());
    const { code, error } = req.query;
    if (typeof error === 'string') return refuse(req, res, next, new SignInFailedError(`Slack answered ${error.slice(0, 64)}`));
    if (typeof code !== 'string' || code === '') return refuse(req, res, next, new SignInFailedError('the callback carried no code'));
    authenticator.authenticate(SLACK_STRATEGY, (err: unknown, member: Member | false) => {
      if (err) return refuse(req, res, next, err);
      if (!member) return refuse(req, res, next, new SignInRejectedError('Slack named no member'));
      const returnTo = states.verified(req)?.returnTo ?? afterSignIn;
      // Passport regenerates the session here: the id from before sign-in is worth nothing after it.
      req.logIn(member, (loginErr: unknown) => {
        if (loginErr) return next(loginErr);
        noStore(res);
        res.redirect(303, returnTo);
      });
    })(req, res, next);
  });

  router.get(LOGOUT_PATH, (req, res) => {
    const member = currentMember(req);
    noStore(res);
    res.type('html').send(member ? signOutPage(csrf.token(req), member) : signedOutPage(LOGIN_PATH));
  });

  // The CSRF check above has run: a signed-in member's sign-out carries the session's token.
  router.post(LOGOUT_PATH, async (req, res) => {
    await endSession(req, res, options.secureCookie);
    noStore(res);
    res.type('html').send(signedOutPage(LOGIN_PATH));
  });

  /** The signed-in member, their roles, and the CSRF token a JSON client sends as X-CSRF-Token. */
  router.get(SESSION_API_PATH, guards.requireSession, async (req, res) => {
    const member = currentMember(req)!;
    noStore(res);
    res.json({ member, roles: await roles.rolesOf(member.teamId, member.userId), csrfToken: csrf.token(req) });
  });

  return router;
}
