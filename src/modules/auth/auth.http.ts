import type { NextFunction, Request, Response } from 'express';
import type { AppError } from '../../platform/errors';
import { errorPage } from './auth.pages';
import type { Member } from './auth.types';

export const LOGIN_PATH = '/login';
export const CALLBACK_PATH = '/auth/slack/callback';
export const LOGOUT_PATH = '/logout';

const BEARER = /^Bearer\s/i;

/** The request presents a service token: it is judged by that alone, never by a cookie too. */
export function hasBearer(req: Request): boolean {
  return BEARER.test(req.headers.authorization ?? '');
}

/**
 * The member this request's session cookie signed in, if any. A request that carries a Bearer
 * token is not cookie-authenticated, which is what makes its exemption from CSRF checks safe.
 */
export function currentMember(req: Request): Member | undefined {
  if (hasBearer(req)) return undefined;
  const user = req.user as Partial<Member> | undefined;
  return typeof user?.teamId === 'string' && typeof user.userId === 'string' ? (user as Member) : undefined;
}

export function isApiRequest(req: Request): boolean {
  const path = req.originalUrl.split('?')[0]!;
  return path === '/api' || path.startsWith('/api/');
}

/** A path of this site to come back to after signing in (never //host or /\host: no open redirect). */
export function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 512) return undefined;
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : undefined;
}

const TITLES: Record<number, string> = { 400: 'Sign-in failed', 401: 'Sign in first', 403: 'Not allowed', 502: 'Slack did not answer', 503: 'Not available' };

/**
 * Refuses the request: the JSON error shape on /api (through the app's error middleware);
 * elsewhere a stranger is sent to sign in (GET and HEAD) and anyone else gets a page.
 */
export function deny(req: Request, res: Response, next: NextFunction, error: AppError): void {
  if (isApiRequest(req)) return next(error);
  if (error.status === 401 && (req.method === 'GET' || req.method === 'HEAD')) {
    res.redirect(302, `${LOGIN_PATH}?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  res.status(error.status).type('html').send(errorPage(TITLES[error.status] ?? 'Something went wrong', error.message, LOGIN_PATH));
}
