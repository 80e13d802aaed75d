import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';
import { CsrfTokenError } from './auth.errors';
import { currentMember, deny } from './auth.http';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export interface Csrf {
  /** Refuses a state-changing, cookie-authenticated request without the session's token (403). */
  middleware: RequestHandler;
  /** The session's token, for a form's hidden `_csrf` or a JSON client's X-CSRF-Token header. */
  token(req: Request): string;
}

function tokenOf(req: Request): string | undefined {
  const header = req.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return typeof field === 'string' ? field : undefined;
}

/**
 * Synchronizer tokens kept in the server-side session (csrf-sync): sessions live in PostgreSQL
 * anyway, so there is no second cookie to sign and keep in step. Only cookie-authenticated
 * requests are checked: a stranger is refused by the guards, and a Bearer call is no cookie's.
 */
export function createCsrf(): Csrf {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: tokenOf,
    skipCsrfProtection: (req) => currentMember(req) === undefined,
    size: 32,
  });
  return {
    middleware: (req, res, next) => {
      csrfSynchronisedProtection(req, res, (err?: unknown) => (err ? deny(req, res, next, new CsrfTokenError()) : next()));
    },
    token: (req) => generateToken(req),
  };
}
