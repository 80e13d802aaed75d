import type { Express, Request } from 'express';
import { Router } from 'express';
import request from 'supertest';
import { startSlackOpenIdStandIn, type SlackOpenIdStandIn } from '../../scripts/stand-ins/slack-openid.stand-in';
import { createApp } from '../../src/platform/app';
import { createAuth, type Auth } from '../../src/modules/auth';
import { createFakeTokensService, type TokensService } from '../../src/modules/tokens';
import { createLogger, type Logger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { requireServiceToken } from '../../src/platform/service-auth';
import { createTestDatabase, type TestDatabase } from './database';

/**
 * The auth module as wiring mounts it, in the real app shell (helmet, body parsers, the one
 * error middleware), in front of a few sample routes: a member's page and API, a workspace
 * admin's, an operator's, and state-changing ones for the CSRF checks. Slack is the OpenID stand-in.
 */
export interface AuthTestApp {
  app: Express;
  auth: Auth;
  slack: SlackOpenIdStandIn;
  database: TestDatabase;
  tokens: TokensService;
  /** Another app (another process) on the same database, e.g. with an https PUBLIC_URL. */
  another(publicUrl?: string): { app: Express; auth: Auth };
  /** A service token of this audience, as POST /oauth/token would hand one out. */
  serviceToken(audience: string): Promise<string>;
  close(): Promise<void>;
}

export const ADMIN_CLIENT = { clientId: 'operator-console', clientSecret: 'operator-console-secret-of-forty-characters' };
export const SESSION_SECRET = 'a-session-secret-for-the-auth-tests';

const teamParam = (req: Request) => String(req.params.teamId);

function sampleRoutes(auth: Auth, tokens: TokensService): Router {
  const adminToken = requireServiceToken({ keys: { jwks: () => tokens.jwks() }, audience: 'admin', issuer: 'urn:jeeves:tokens' });
  const router = Router();
  router.get('/me', auth.requireSession, (req, res) => {
    res.type('html').send(`<p>Hello ${auth.currentMember(req)!.name ?? ''}</p>`);
  });
  router.post('/me/things', auth.requireSession, (_req, res) => {
    res.type('html').send('<p>saved</p>');
  });
  router.get('/api/me', auth.requireSession, (req, res) => {
    res.json({ member: auth.currentMember(req) });
  });
  router.post('/api/me/things', auth.requireSession, (_req, res) => {
    res.json({ saved: true });
  });
  router.get('/admin/workspaces/:teamId', auth.requireRole('admin', { team: teamParam }), (req, res) => {
    res.type('html').send(`<p>Workspace ${req.params.teamId}</p>`);
  });
  router.get('/api/admin/workspaces/:teamId/members', auth.requireRole('admin', { team: teamParam, serviceToken: adminToken }), (req, res) => {
    res.json({ teamId: req.params.teamId, members: [] });
  });
  router.get('/admin/modules', auth.requireOperator(), (_req, res) => {
    res.type('html').send('<p>Modules</p>');
  });
  router.get('/api/admin/modules', auth.requireOperator({ serviceToken: adminToken }), (_req, res) => {
    res.json({ modules: ['users', 'weather', 'tokens'] });
  });
  router.post('/api/admin/modules/:name/placement', auth.requireOperator({ serviceToken: adminToken }), (req, res) => {
    res.json({ module: req.params.name, placement: (req.body as { placement?: unknown }).placement });
  });
  return router;
}

export async function startAuthTestApp(options: { publicUrl?: string; logger?: Logger } = {}): Promise<AuthTestApp> {
  const [database, slack] = await Promise.all([createTestDatabase(), startSlackOpenIdStandIn()]);
  const tokens = createFakeTokensService();
  await tokens.ensureActiveKey();
  await tokens.registerClient(ADMIN_CLIENT.clientId, ['admin', 'users'], { secret: ADMIN_CLIENT.clientSecret });
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const built: Auth[] = [];

  const build = (publicUrl: string) => {
    const auth = createAuth({
      dataSource: database.dataSource,
      logger,
      sessionSecret: SESSION_SECRET,
      publicUrl,
      slack: { openIdUrl: slack.openIdUrl, apiUrl: slack.apiUrl, clientId: slack.clientId, clientSecret: slack.clientSecret },
    });
    built.push(auth);
    const app = createApp({
      logger,
      metrics: createMetrics({ defaults: false }),
      readiness: {},
      routes: [
        { path: '/', router: auth.router },
        { path: '/', router: sampleRoutes(auth, tokens) },
      ],
    });
    return { app, auth };
  };

  const { app, auth } = build(options.publicUrl ?? 'http://localhost:3000');
  return {
    app,
    auth,
    slack,
    database,
    tokens,
    another: (publicUrl = 'http://localhost:3000') => build(publicUrl),
    serviceToken: async (audience) => (await tokens.issueToken({ ...ADMIN_CLIENT, audience })).access_token,
    close: async () => {
      for (const one of built) await one.close();
      await slack.close();
      await database.drop();
    },
  };
}

export type Agent = ReturnType<typeof request.agent>;

/** What the browser does between /login and the callback: Slack's authorize page, answered at once for `member`. */
export async function slackRedirectFor(loginLocation: string, member = 'U0ALICE', change: (url: URL) => void = () => undefined): Promise<string> {
  const authorize = new URL(loginLocation);
  authorize.searchParams.set('login_hint', member);
  change(authorize);
  const answer = await fetch(authorize, { redirect: 'manual' });
  const callback = answer.headers.get('location');
  if (answer.status !== 302 || !callback) throw new Error(`the authorize page answered ${answer.status} ${await answer.text()}`);
  const url = new URL(callback);
  return `${url.pathname}${url.search}`;
}

/** GET /login, Slack's page, and the callback, in one browser (agent); answers the callback's response. */
export async function signIn(agent: Agent, member = 'U0ALICE', path = '/login'): Promise<request.Response> {
  const login = await agent.get(path).expect(302);
  return agent.get(await slackRedirectFor(login.headers.location!, member));
}

/** The session cookie's `name=value` in a response's Set-Cookie, if it set one. */
export function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('jeeves.sid='))?.split(';')[0];
}

export function setCookieHeader(res: request.Response): string {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('jeeves.sid=')) ?? '';
}
