import { Router, type Express, type RequestHandler } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import {
  createDevOutboxRouter,
  createSlackAdminRouter,
  createSlackCommandsRouter,
  createSlackEventsHandler,
  SLACK_EVENTS_PATH,
  type MessageHandler,
  type SlackDelivery,
} from '../modules/slack';
import { tokenEndpointLimits, tokensRouter, type TokenIssuer } from '../modules/tokens';
import { USERS_API_PATH, usersRouter, type UsersService } from '../modules/users';
import { WEATHER_API_PATH, weatherRouter, type WeatherService } from '../modules/weather';
import { createApp, type Endpoint, type Mount } from '../platform/app';
import type { Drain } from '../platform/drain';
import { openApiRouter } from '../platform/openapi';
import { pagesAssetsRouter } from '../platform/pages';
import { ADMIN_AUDIENCE, requireServiceToken, SERVICE_TOKEN_ISSUER } from '../platform/service-auth';
import type { Auth } from '../modules/auth';
import type { AuditLog } from '../modules/dashboard';
import type { RoutingRegistry } from '../platform/remote';
import { adminAssetsRouter } from '../modules/dashboard';
import { wireAdminPages, wireWorkspaceAdminPages } from './wire-admin-pages';
import { readModulesPanel, wireDashboard } from './wire-dashboard';
import { wireWebLimits } from './wire-limits';
import { ADMIN_API_PATH, monolithOpenApi } from './wire-openapi';
import { coreReadiness } from './wire-probes';
import type { SlackOut } from './wire-slack';
import type { WorkspacesWiring } from './wire-workspaces';

export interface WebPorts {
  slack: SlackOut;
  auth: Auth;
  workspaces: WorkspacesWiring;
  handler: MessageHandler;
  delivery: SlackDelivery;
  users: UsersService;
  weather: WeatherService;
  tokens: TokenIssuer;
  /** Fails /readyz while the process drains (SIGTERM). */
  drain?: Pick<Drain, 'draining'>;
  /** The member's page (/me). */
  me: Router;
  /** The switched modules, for the dashboard's modules panel. */
  routing: RoutingRegistry;
  /** Every admin action, recorded once per deployment in PostgreSQL. */
  audit: AuditLog;
}

/**
 * A service token for `audience`, verified against the keys of wherever the tokens module
 * answers now (in-process or its service, by `tokens-remote`): the same door the extracted
 * services have, so a module's API is shut to strangers whichever side serves it.
 */
function serviceTokenGuard(tokens: TokenIssuer, audience: string): RequestHandler {
  return requireServiceToken({ keys: { jwks: () => tokens.jwks() }, audience, issuer: SERVICE_TOKEN_ISSUER });
}

/** A router that only checks the token, mounted before the body parsers so a stranger's body is never parsed. */
function guarded(path: string, guard: RequestHandler): Mount {
  return { path, router: Router().use(guard) };
}

/** The monolith's web app: Slack's webhooks, the modules' JSON APIs, tokens, health. */
export function wireWeb(infra: Infrastructure, { slack, auth, workspaces, handler, delivery, users, weather, tokens, me, drain, routing, audit }: WebPorts): Express {
  const { config, queue } = infra;
  // Slack's webhooks: events on the fast path ahead of the router, commands mounted before
  // helmet and the health router (acks, read by no browser).
  const endpoints: Endpoint[] = [
    { method: 'POST', path: SLACK_EVENTS_PATH, handler: createSlackEventsHandler({ signingSecret: slack.signingSecret, queue, logger: slack.logger, onWorkspaceGone: workspaces.onWorkspaceGone }) },
  ];
  const webhookRoutes: Mount[] = [
    { path: '/slack', router: createSlackCommandsRouter({ signingSecret: slack.signingSecret, handler, delivery, logger: slack.logger, usage: slack.usage }) },
  ];
  // POST /oauth/token and GET /.well-known/jwks.json: the tokens module, in-process or routed to its service.
  const limits = wireWebLimits(infra, auth);
  const rawBodyRoutes: Mount[] = [
    // Before any door, so a stranger knocking is counted too.
    { path: '/', router: limits.perIp },
    // GET /openapi.json: every /api route (and the token endpoints), open like the services' own.
    { path: '/', router: openApiRouter(monolithOpenApi()) },
    { path: '/', router: tokensRouter({ tokens, limits: tokenEndpointLimits({ prefix: `${infra.keyPrefix}rl:`, ...(infra.redis ? { redis: infra.redis } : {}) }) }) },
    guarded(USERS_API_PATH, serviceTokenGuard(tokens, 'users')),
    guarded(WEATHER_API_PATH, serviceTokenGuard(tokens, 'weather')),
  ];
  const routes: Mount[] = [
    // Sign-in and sessions first: every page and admin route after it may ask who is signed in.
    { path: '/', router: auth.router },
    { path: '/', router: limits.perTeam },
    // Add to Slack: /install and /slack/oauth_redirect.
    { path: '/', router: workspaces.router },
    // The pages' stylesheet, and the member's page.
    { path: '/', router: pagesAssetsRouter() },
    { path: '/', router: me },
    { path: USERS_API_PATH, router: usersRouter({ users }) },
    { path: WEATHER_API_PATH, router: weatherRouter({ weather }) },
  ];
  if (config.NODE_ENV !== 'production') routes.push({ path: '/dev', router: createDevOutboxRouter({ outbox: slack.outbox }) });
  // Dead letters of every workspace: an operator's session, or a service token of audience 'admin'.
  const adminToken = serviceTokenGuard(tokens, ADMIN_AUDIENCE);
  const operator = auth.requireOperator({ serviceToken: adminToken });
  // Each route under /api/admin is also listed in wire-openapi's ADMIN_API_ROUTES.
  routes.push({ path: ADMIN_API_PATH, router: createSlackAdminRouter({ deadLetters: slack.deadLetters, auth: operator }) });
  routes.push({ path: ADMIN_API_PATH, router: wireDashboard(infra, { routing, auth: operator, audit }) });
  // The admin pages (/admin, /admin/audit), their forms and script.
  routes.push({ path: '/', router: adminAssetsRouter() });
  routes.push({ path: '/', router: wireAdminPages(infra, { auth, audit, modules: () => readModulesPanel(infra, routing), serviceToken: adminToken }) });
  // Queues' dead letters, workspaces, members, usage: workspace admins see their own workspace's.
  const workspaceAdmin = wireWorkspaceAdminPages(infra, { auth, slack, delivery, workspaces: workspaces.workspaces, users, audit, serviceToken: adminToken });
  routes.push({ path: '/', router: workspaceAdmin.pages }, { path: ADMIN_API_PATH, router: workspaceAdmin.api });

  return createApp({
    logger: infra.logger,
    metrics: infra.metrics,
    readiness: { ...coreReadiness(infra), flags: () => infra.flags.ping() },
    ...(drain ? { drain } : {}),
    endpoints,
    webhookRoutes,
    rawBodyRoutes,
    routes,
  });
}
