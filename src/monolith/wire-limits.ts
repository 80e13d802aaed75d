import { Router } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import { CALLBACK_PATH, LOGIN_PATH, LOGOUT_PATH, type Auth } from '../modules/auth';
import { INSTALL_PATH, OAUTH_REDIRECT_PATH } from '../modules/workspaces';
import { byIp, createRateLimit } from '../platform/rate-limit';

/** The pages people open and the JSON API; Slack's own deliveries (/slack/events, commands) are never here. */
export const LIMITED_PAGES = [LOGIN_PATH, CALLBACK_PATH, LOGOUT_PATH, INSTALL_PATH, OAUTH_REDIRECT_PATH, '/me', '/admin'];
export const LIMITED_API = '/api';

export interface WebLimits {
  /** Per IP, before sign-in is looked at. */
  perIp: Router;
  /** Per Slack team of the signed-in member, after the session is read. */
  perTeam: Router;
}

/**
 * The book's web application firewall (chapter 7), in the app: a minute's window per IP on
 * every page and API route, and per signed-in member's team, shared across processes through Redis.
 */
export function wireWebLimits(infra: Infrastructure, auth: Auth, { perIpPerMinute = 300, perTeamPerMinute = 600 } = {}): WebLimits {
  const shared = { prefix: `${infra.keyPrefix}rl:`, ...(infra.redis ? { redis: infra.redis } : {}) };
  const ip = createRateLimit({ name: 'web-ip', windowMs: 60_000, limit: perIpPerMinute, key: byIp, ...shared });
  const team = createRateLimit({ name: 'web-team', windowMs: 60_000, limit: perTeamPerMinute, key: (req) => auth.currentMember(req)?.teamId, ...shared });
  const paths = [...LIMITED_PAGES, LIMITED_API];
  return { perIp: Router().use(paths, ip), perTeam: Router().use(paths, team) };
}
