import { randomBytes } from 'node:crypto';
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { toAppError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { installedPage, installFailedPage } from './workspaces.pages';
import { INSTALL_PATH, OAUTH_REDIRECT_PATH } from './workspaces.service';
import type { WorkspacesService } from './workspaces.types';

export interface WorkspacesRouterOptions {
  workspaces: WorkspacesService;
  /** PUBLIC_URL: decides the cookie's Secure flag and path. */
  publicUrl: string;
  logger: Logger;
}

/** The cookie binding an install's state to the browser that started it. */
export const INSTALL_COOKIE = 'jeeves_install';
const COOKIE_MAX_AGE_MS = 10 * 60_000;
const BROWSER_VALUE = /^[A-Za-z0-9_-]{43}$/;

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

const TITLES: Record<string, string> = {
  'WORKSPACES.INVALID_STATE': 'This install link cannot be used',
  'WORKSPACES.SLACK_REFUSED': 'Slack did not confirm the install',
  'WORKSPACES.SLACK_UNAVAILABLE': 'Slack could not be reached',
  'WORKSPACES.UNSUPPORTED_INSTALL': 'Jeeves cannot be installed this way',
  'WORKSPACES.NOT_CONFIGURED': 'Add to Slack is not configured',
};

/** GET /install (to Slack's authorize page) and GET /slack/oauth_redirect (back from it). Mount at the root. */
export function workspacesRouter({ workspaces, publicUrl, logger }: WorkspacesRouterOptions): Router {
  const router = Router();
  const base = new URL(publicUrl);
  // Sent only back to the callback, and over TLS whenever people reach Jeeves over TLS.
  const cookie = { httpOnly: true, sameSite: 'lax', secure: base.protocol === 'https:', path: `${base.pathname.replace(/\/+$/, '')}${OAUTH_REDIRECT_PATH}` } as const;
  const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

  router.get(INSTALL_PATH, async (req, res) => {
    // A second tab keeps the browser's value, so both of its installs can finish.
    const existing = cookieValue(req, INSTALL_COOKIE);
    const browser = existing && BROWSER_VALUE.test(existing) ? existing : randomBytes(32).toString('base64url');
    const url = await workspaces.startInstall(browser);
    noStore(res).cookie(INSTALL_COOKIE, browser, { ...cookie, maxAge: COOKIE_MAX_AGE_MS }).redirect(302, url);
  });

  router.get(OAUTH_REDIRECT_PATH, async (req, res) => {
    const query = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    const slackError = query('error');
    noStore(res);
    if (slackError) {
      const denied = slackError === 'access_denied';
      const message = denied ? 'Permission to add Jeeves was not given, so nothing was installed.' : `Slack answered "${slackError}", so nothing was installed.`;
      res.status(denied ? 403 : 400).type('html').send(installFailedPage('Jeeves was not added', message, INSTALL_PATH));
      return;
    }
    const installation = await workspaces.completeInstall({ code: query('code'), state: query('state'), browser: cookieValue(req, INSTALL_COOKIE) });
    res.clearCookie(INSTALL_COOKIE, cookie).type('html').send(installedPage(installation));
  });

  const pages: ErrorRequestHandler = (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) logger.error({ err, code: appError.code, path: req.path }, appError.message);
    else logger.warn({ code: appError.code, path: req.path }, appError.message);
    const title = TITLES[appError.code] ?? 'Something went wrong';
    const message = appError.status >= 500 && !TITLES[appError.code] ? 'Jeeves could not finish the install; nothing was changed. Try again in a moment.' : appError.message;
    noStore(res).status(appError.status).type('html').send(installFailedPage(title, message, INSTALL_PATH));
  };
  router.use([INSTALL_PATH, OAUTH_REDIRECT_PATH], pages);
  return router;
}
