import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSlackApiStandIn, type SlackApiStandIn, type SlackApiStandInOptions, type StandInRoutes } from './slack.stand-in';

/**
 * Slack's OAuth v2 for "Add to Slack", in its wire format: the authorize page
 * (`/oauth/v2/authorize`, which redirects back with `code` and `state`) and `oauth.v2.access`
 * (code exchange, with token rotation `refresh_token` + `expires_in`, and
 * `grant_type=refresh_token`). Codes are single use; a refresh spends its refresh token. The
 * bot tokens it issues are valid for the Web API stand-in's methods (chat.postMessage...).
 *
 * Offline: `npx tsx scripts/stand-ins/slack-oauth.stand-in.ts [port]` prints the variables.
 */
export interface OAuthTeam {
  id: string;
  name: string;
}

export interface SlackOAuthStandInOptions {
  clientId?: string;
  clientSecret?: string;
  /** Token rotation on: installs get an expiring xoxe.xoxb- token and an xoxe- refresh token. */
  rotation?: boolean;
  /** Lifetime of a rotating bot token (Slack's is 12 hours). */
  expiresInSeconds?: number;
  /** Who installs when the authorize request names nobody (`team`, `team_name`, `user` query fields). */
  team?: OAuthTeam;
  installer?: string;
  /** Approve at once (302 to the redirect URI with a code) instead of showing the Allow page; `auto=1` does it per request. */
  autoApprove?: boolean;
  clock?: () => number;
}

export interface SlackOAuthStandIn {
  /** Serve from the Web API stand-in's port: pass as its `routes` and `validToken`. */
  routes: StandInRoutes;
  validToken(token: string): boolean;
  clientId: string;
  clientSecret: string;
  /** oauth.v2.access calls with a code, answered ok or not. */
  exchangeCalls(): number;
  /** oauth.v2.access calls with grant_type=refresh_token, answered ok or not. */
  refreshCalls(): number;
  /** Web API calls that presented this token, accepted or not. */
  uses(token: string): number;
  /** The bot token the team holds now (the newest one issued). */
  currentToken(teamId: string): string | undefined;
  /** Every token of the team stops working, as when Slack uninstalls the app. */
  revokeTeam(teamId: string): void;
  setRotation(on: boolean): void;
  /** Refreshes are counted as they arrive but answered only once the returned function is called. */
  holdRefreshes(): () => void;
}

interface Grant {
  team: OAuthTeam;
  user: string;
  scope: string;
  redirectUri: string;
  used: boolean;
}

interface TeamTokens {
  team: OAuthTeam;
  user: string;
  scope: string;
  botUserId: string;
  current?: string;
  refreshToken?: string;
}

const APP_ID = 'A0KRD7HC3';
const random = () => randomBytes(12).toString('hex');
const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sendJson(res: ServerResponse, body: unknown): true {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
  return true;
}

function sendHtml(res: ServerResponse, status: number, html: string): true {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slack (stand-in)</title></head><body>${html}</body></html>`);
  return true;
}

function redirect(res: ServerResponse, to: URL): true {
  res.writeHead(302, { location: to.toString() });
  res.end();
  return true;
}

/** The client's credentials, as HTTP Basic or as form fields. */
function clientOf(req: IncomingMessage, form: URLSearchParams): { id?: string; secret?: string } {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, ...secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    return { id, secret: secret.join(':') };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

export function createSlackOAuthStandIn(options: SlackOAuthStandInOptions = {}): SlackOAuthStandIn {
  const { clientId = 'stand-in-client-id', clientSecret = 'stand-in-client-secret', expiresInSeconds = 43_200, clock = Date.now } = options;
  let rotation = options.rotation ?? false;
  const defaultTeam = options.team ?? { id: 'T0STANDIN', name: 'Stand-in Workspace' };
  const grants = new Map<string, Grant>();
  const teams = new Map<string, TeamTokens>();
  const tokens = new Map<string, { teamId: string; expiresAt?: number; revoked: boolean }>();
  const uses = new Map<string, number>();
  let exchangeCalls = 0;
  let refreshCalls = 0;
  let held: Promise<void> | undefined;

  function approve(params: URLSearchParams): URL {
    const code = `${random()}.${random()}`;
    const team = { id: params.get('team') || defaultTeam.id, name: params.get('team_name') || defaultTeam.name };
    grants.set(code, { team, user: params.get('user') || options.installer || 'U0INSTALLER', scope: params.get('scope') ?? '', redirectUri: params.get('redirect_uri')!, used: false });
    const back = new URL(params.get('redirect_uri')!);
    back.searchParams.set('code', code);
    if (params.has('state')) back.searchParams.set('state', params.get('state')!);
    return back;
  }

  function authorize(res: ServerResponse, params: URLSearchParams): true {
    if (params.get('client_id') !== clientId) return sendHtml(res, 400, '<h1>Invalid client_id parameter</h1>');
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return sendHtml(res, 400, '<h1>redirect_uri did not match any configured URIs</h1>');
    if (options.autoApprove || params.get('auto') === '1') return redirect(res, approve(params));
    const denied = new URL(redirectUri);
    denied.searchParams.set('error', 'access_denied');
    if (params.has('state')) denied.searchParams.set('state', params.get('state')!);
    const hidden = ['client_id', 'scope', 'redirect_uri', 'state'].map((name) => `<input type="hidden" name="${name}" value="${escape(params.get(name) ?? '')}">`).join('');
    const field = (name: string, label: string, value: string) => `<p><label for="${name}">${label}</label> <input id="${name}" name="${name}" value="${escape(value)}"></p>`;
    return sendHtml(
      res,
      200,
      `<h1>Jeeves is requesting permission to access a Slack workspace</h1>
<p>Scopes: ${escape(params.get('scope') ?? '')}</p>
<form method="get" action="/oauth/v2/authorize/approve">${hidden}
${field('team', 'Workspace id', defaultTeam.id)}${field('team_name', 'Workspace name', defaultTeam.name)}${field('user', 'You (user id)', options.installer ?? 'U0INSTALLER')}
<button type="submit">Allow</button></form>
<p><a href="${escape(denied.toString())}">Cancel</a></p>`,
    );
  }

  /** Issues the team's tokens: the same lasting bot token on a reinstall, or a new rotating pair. */
  function issue(entry: TeamTokens): Record<string, unknown> {
    if (!rotation && entry.current && !tokens.get(entry.current)?.revoked && tokens.get(entry.current)?.expiresAt === undefined) {
      return { access_token: entry.current };
    }
    const bot = rotation ? `xoxe.xoxb-1-${random()}` : `xoxb-${entry.team.id}-${random()}`;
    entry.current = bot;
    tokens.set(bot, { teamId: entry.team.id, ...(rotation ? { expiresAt: clock() + expiresInSeconds * 1000 } : {}), revoked: false });
    if (!rotation) {
      delete entry.refreshToken;
      return { access_token: bot };
    }
    entry.refreshToken = `xoxe-1-${random()}`;
    return { access_token: bot, refresh_token: entry.refreshToken, expires_in: expiresInSeconds };
  }

  // ../shared/samples/slack-oauth-v2-access-response.json
  const answer = (entry: TeamTokens, issued: Record<string, unknown>) => ({
    ok: true,
    ...issued,
    token_type: 'bot',
    scope: entry.scope,
    bot_user_id: entry.botUserId,
    app_id: APP_ID,
    team: entry.team,
    enterprise: null,
    is_enterprise_install: false,
    authed_user: { id: entry.user, scope: '', token_type: 'user' },
  });

  async function access(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): Promise<true> {
    const grantType = form.get('grant_type') ?? 'authorization_code';
    if (grantType === 'refresh_token') {
      refreshCalls += 1;
      await held;
    } else exchangeCalls += 1;
    const client = clientOf(req, form);
    if (client.id !== clientId) return sendJson(res, { ok: false, error: 'invalid_client_id' });
    if (client.secret !== clientSecret) return sendJson(res, { ok: false, error: 'bad_client_secret' });
    if (grantType === 'refresh_token') {
      const entry = [...teams.values()].find((t) => t.refreshToken !== undefined && t.refreshToken === form.get('refresh_token'));
      if (!entry) return sendJson(res, { ok: false, error: 'invalid_refresh_token' });
      return sendJson(res, answer(entry, issue(entry)));
    }
    if (grantType !== 'authorization_code') return sendJson(res, { ok: false, error: 'invalid_grant_type' });
    const grant = grants.get(form.get('code') ?? '');
    if (!grant || grant.used) return sendJson(res, { ok: false, error: 'invalid_code' });
    grant.used = true;
    if (form.has('redirect_uri') && form.get('redirect_uri') !== grant.redirectUri) return sendJson(res, { ok: false, error: 'bad_redirect_uri' });
    const entry = teams.get(grant.team.id) ?? { team: grant.team, user: grant.user, scope: grant.scope, botUserId: `U0BOT${grant.team.id.slice(1)}` };
    Object.assign(entry, { team: grant.team, user: grant.user, scope: grant.scope });
    teams.set(grant.team.id, entry);
    return sendJson(res, answer(entry, issue(entry)));
  }

  const routes: StandInRoutes = (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method === 'GET' && url.pathname === '/oauth/v2/authorize') return authorize(res, url.searchParams);
    if (req.method === 'GET' && url.pathname === '/oauth/v2/authorize/approve') return redirect(res, approve(url.searchParams));
    if (req.method === 'POST' && url.pathname === '/api/oauth.v2.access') {
      const form = new URLSearchParams(raw);
      for (const [k, v] of url.searchParams) if (!form.has(k)) form.set(k, v);
      return access(req, res, form);
    }
    return false;
  };

  return {
    routes,
    validToken(token) {
      uses.set(token, (uses.get(token) ?? 0) + 1);
      const known = tokens.get(token);
      return known !== undefined && !known.revoked && (known.expiresAt === undefined || known.expiresAt > clock());
    },
    clientId,
    clientSecret,
    exchangeCalls: () => exchangeCalls,
    refreshCalls: () => refreshCalls,
    uses: (token) => uses.get(token) ?? 0,
    currentToken: (teamId) => teams.get(teamId)?.current,
    revokeTeam(teamId) {
      for (const known of tokens.values()) if (known.teamId === teamId) known.revoked = true;
      const entry = teams.get(teamId);
      if (entry) delete entry.refreshToken;
    },
    setRotation(on) {
      rotation = on;
    },
    holdRefreshes() {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
  };
}

export interface SlackWithOAuth {
  api: SlackApiStandIn;
  oauth: SlackOAuthStandIn;
  /** Ready to be SLACK_OAUTH_URL. */
  oauthUrl: string;
}

/** The Web API stand-in with the OAuth endpoints on the same port, as slack.com serves both. */
export async function startSlackWithOAuth(options: SlackOAuthStandInOptions & Omit<SlackApiStandInOptions, 'routes' | 'validToken'> = {}): Promise<SlackWithOAuth> {
  const oauth = createSlackOAuthStandIn(options);
  const api = await startSlackApiStandIn({ ...options, routes: oauth.routes, validToken: (token) => oauth.validToken(token) });
  return { api, oauth, oauthUrl: new URL('/oauth/v2/authorize', api.url).toString() };
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? 8090);
  void startSlackWithOAuth({ port, rotation: process.argv.includes('--rotation') }).then(({ api, oauth, oauthUrl }) => {
    process.stdout.write(
      `Slack Web API and OAuth stand-in listening.\nexport SLACK_API_URL=${api.url}\nexport SLACK_OAUTH_URL=${oauthUrl}\nexport SLACK_CLIENT_ID=${oauth.clientId}\nexport SLACK_CLIENT_SECRET=${oauth.clientSecret}\n`,
    );
  });
}
