import type { Request, RequestHandler, Response, Router } from 'express';
import { Passport } from 'passport';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../platform/logger';
import { createKeyResolver } from '../../platform/service-auth';
import { createCsrf } from './auth.csrf';
import { forgetMember } from './auth.forget';
import { createGuards, type RoleGuardOptions } from './auth.guards';
import { CALLBACK_PATH, currentMember } from './auth.http';
import { createIdTokenVerifier } from './auth.id-token';
import { LoginStateStore } from './auth.login-state';
import { createRoles } from './auth.roles';
import { createAuthRouter } from './auth.routes';
import { createSessionMiddleware, endSession } from './auth.session';
import { createSlackOpenIdApi } from './auth.slack-api';
import { SlackOpenIdStrategy, SLACK_STRATEGY } from './auth.slack-strategy';
import type { Member, Role, Roles } from './auth.types';

export interface AuthOptions {
  dataSource: DataSource;
  logger: Logger;
  /** SESSION_SECRET (resolveSessionSecret gives the development one). */
  sessionSecret: string;
  /** PUBLIC_URL (publicUrl(config)): builds the redirect URI; https makes the cookie Secure. */
  publicUrl: string;
  slack: {
    /** SLACK_OPENID_URL; Slack's signing keys are at its sibling `keys`. */
    openIdUrl: string;
    /** SLACK_API_URL */
    apiUrl: string;
    /** SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; without them /login answers 503. */
    clientId?: string | undefined;
    clientSecret?: string | undefined;
    timeoutMs?: number;
  };
  /** Where a sign-in lands when it started from nowhere in particular (default /me). */
  afterSignIn?: string;
  /** How long a session lasts from sign-in (default 7 days). */
  sessionMaxAgeMs?: number;
  /** For tests of expiry. */
  now?: () => Date;
}

/** The auth module's face: what wiring mounts and what other routes guard themselves with. */
export interface Auth {
  /** Mount at '/' before every route that needs a session (see README, "Signing in"). */
  router: Router;
  roles: Roles;
  requireSession: RequestHandler;
  requireRole(role: Role, options?: RoleGuardOptions): RequestHandler;
  requireOperator(options?: Omit<RoleGuardOptions, 'team'>): RequestHandler;
  currentMember(req: Request): Member | undefined;
  /** The session's CSRF token, for a form's hidden `_csrf` field. */
  csrfToken(req: Request): string;
  /** Deletes what auth keeps of a member: their role grants and every session of theirs, in every process. */
  forget(member: { teamId: string; userId: string }): Promise<void>;
  /** Ends this request's session (as POST /logout does), e.g. after the member was forgotten. */
  signOut(req: Request, res: Response): Promise<void>;
  close(): Promise<void>;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

function databaseUrlOf(dataSource: DataSource): string {
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error('auth: the session store needs a DataSource opened from a URL');
  return url;
}

export function createAuth(options: AuthOptions): Auth {
  const { dataSource, logger, slack } = options;
  const secureCookie = new URL(options.publicUrl).protocol === 'https:';
  const roles = createRoles(dataSource);
  const guards = createGuards(roles);
  const csrf = createCsrf();
  const states = new LoginStateStore();
  const session = createSessionMiddleware({
    databaseUrl: databaseUrlOf(dataSource),
    secret: options.sessionSecret,
    secure: secureCookie,
    maxAgeMs: options.sessionMaxAgeMs ?? WEEK_MS,
    logger,
  });

  let authenticator: InstanceType<typeof Passport> | null = null;
  if (slack.clientId && slack.clientSecret) {
    authenticator = new Passport();
    const api = createSlackOpenIdApi({ apiUrl: slack.apiUrl, ...(slack.timeoutMs ? { timeoutMs: slack.timeoutMs } : {}) });
    const verifyIdToken = createIdTokenVerifier({
      keys: createKeyResolver({ jwksUrl: new URL('keys', slack.openIdUrl).toString(), timeoutMs: slack.timeoutMs ?? 5000 }),
      clientId: slack.clientId,
      ...(options.now ? { now: options.now } : {}),
    });
    authenticator.use(
      SLACK_STRATEGY,
      new SlackOpenIdStrategy({
        authorizeUrl: slack.openIdUrl,
        apiUrl: slack.apiUrl,
        clientId: slack.clientId,
        clientSecret: slack.clientSecret,
        callbackUrl: `${options.publicUrl.replace(/\/+$/, '')}${CALLBACK_PATH}`,
        states,
        api,
        verifyIdToken,
      }),
    );
    // The session keeps the member itself (a handful of strings); roles are read per request, so a revoke counts at once.
    authenticator.serializeUser((member, done) => done(null, member));
    authenticator.deserializeUser((stored: Partial<Member>, done) =>
      done(null, typeof stored?.teamId === 'string' && typeof stored.userId === 'string' ? (stored as Member) : false),
    );
  }

  const router = createAuthRouter({
    session: session.middleware,
    authenticator,
    states,
    csrf,
    guards,
    roles,
    afterSignIn: options.afterSignIn ?? '/me',
    secureCookie,
    logger,
  });

  return {
    router,
    roles,
    ...guards,
    currentMember,
    csrfToken: csrf.token,
    forget: (member) => forgetMember(dataSource, member),
    signOut: (req, res) => endSession(req, res, secureCookie),
    close: session.close,
  };
}
