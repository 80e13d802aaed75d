import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * Sign in with Slack as Slack speaks it (https://api.slack.com/authentication/sign-in-with-slack):
 * the authorize page (/openid/connect/authorize), openid.connect.token (one-time codes, an RS256
 * id_token), openid.connect.userInfo and the signing keys (/openid/connect/keys). A person picks a
 * pretend member on the authorize page; a test passes `login_hint=<user id>` and is redirected at once.
 *
 * createSlackOpenIdRoutes() answers these paths for any node:http server (another stand-in mounts
 * it); startSlackOpenIdStandIn() serves them alone:
 * `npx tsx scripts/stand-ins/slack-openid.stand-in.ts [port]` prints the variables to point Jeeves at it.
 */
export interface PretendMember {
  teamId: string;
  teamName: string;
  userId: string;
  name: string;
  email: string;
}

export const PRETEND_MEMBERS: PretendMember[] = [
  { teamId: 'T0STANDIN', teamName: 'Stand-in Workspace', userId: 'U0ALICE', name: 'Alice Example', email: 'alice@example.com' },
  { teamId: 'T0STANDIN', teamName: 'Stand-in Workspace', userId: 'U0BOB', name: 'Bob Example', email: 'bob@example.com' },
  { teamId: 'T0OTHER', teamName: 'Other Workspace', userId: 'U0CAROL', name: 'Carol Example', email: 'carol@example.org' },
];

/** A change to the next id_token only, for tests of what Jeeves refuses. */
export interface IdTokenTampering {
  /** Claims set (or, with undefined, removed) on top of Slack's. */
  claims?: Record<string, unknown>;
  /** Signed by a key the stand-in never publishes. */
  foreignKey?: boolean;
}

export interface SlackOpenIdStandInOptions {
  clientId?: string;
  clientSecret?: string;
  members?: PretendMember[];
  /** Seconds since the epoch, for the id_token's iat and exp. */
  now?: () => number;
}

export interface SlackOpenIdRoutes {
  clientId: string;
  clientSecret: string;
  members: PretendMember[];
  /** Answers the request when it is one of Sign in with Slack's paths; false leaves it to the caller. */
  handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<boolean>;
  tamperNextIdToken(change: IdTokenTampering): void;
  /** openid.connect.token calls, answered ok or not. */
  tokenCalls(): number;
  userInfoCalls(): number;
}

const ISSUER = 'https://slack.com';
const CODE_TTL_S = 600;
const ID_TOKEN_TTL_S = 300;

export const AUTHORIZE_PATH = '/openid/connect/authorize';
const APPROVE_PATH = '/openid/connect/authorize/approve';
const KEYS_PATH = '/openid/connect/keys';
const TOKEN_PATH = '/api/openid.connect.token';
const USER_INFO_PATH = '/api/openid.connect.userInfo';

interface IssuedCode {
  member: PretendMember;
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  expiresAt: number;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendJson(res: ServerResponse, body: unknown): void {
  // Slack answers Web API errors with HTTP 200 and {"ok": false}.
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

/** Web API arguments: form body (as Slack documents), JSON body or query string. */
function argumentsOf(req: IncomingMessage, body: string): Record<string, string> {
  const args: Record<string, string> = Object.fromEntries(new URL(req.url ?? '/', 'http://stand-in').searchParams);
  if (!body) return args;
  try {
    const parsed = body.trimStart().startsWith('{') ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
    for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') args[key] = value;
  } catch {
    // Slack ignores a body it cannot read; the missing arguments say what is wrong.
  }
  return args;
}

/** client_id/client_secret from the form, or HTTP Basic as Slack also accepts. */
function clientCredentials(req: IncomingMessage, args: Record<string, string>): { id?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    return { id, secret };
  }
  return { id: args.client_id, secret: args.client_secret };
}

export async function createSlackOpenIdRoutes({
  clientId = '1111111111.2222222222',
  clientSecret = 'stand-in-client-secret',
  members = PRETEND_MEMBERS,
  now = () => Math.floor(Date.now() / 1000),
}: SlackOpenIdStandInOptions = {}): Promise<SlackOpenIdRoutes> {
  const signing = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256');
  const kid = `standin-${randomBytes(4).toString('hex')}`;
  const publicJwk: JWK = { ...(await exportJWK(signing.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, PretendMember>();
  const tampering: IdTokenTampering[] = [];
  let tokenCalls = 0;
  let userInfoCalls = 0;

  const findMember = (hint: string | null | undefined, team: string | null) =>
    members.find((m) => (team === null || m.teamId === team) && (hint === m.userId || hint === `${m.teamId}:${m.userId}` || hint === m.email));

  /** Slack's redirect back: the code and the caller's state. */
  function redirectWithCode(res: ServerResponse, params: URLSearchParams, member: PretendMember): void {
    const code = `${member.teamId}.${randomBytes(16).toString('hex')}`;
    const redirectUri = params.get('redirect_uri')!;
    codes.set(code, { member, clientId, redirectUri, nonce: params.get('nonce') ?? undefined, expiresAt: now() + CODE_TTL_S });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (params.has('state')) target.searchParams.set('state', params.get('state')!);
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  function authorize(req: IncomingMessage, res: ServerResponse, approve: boolean): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const params = url.searchParams;
    if (params.get('client_id') !== clientId) return sendHtml(res, 400, 'invalid_client_id', '<p>Unknown client_id.</p>');
    if (params.get('response_type') !== 'code') return sendHtml(res, 400, 'invalid_response_type', '<p>response_type must be code.</p>');
    if (!(params.get('scope') ?? '').split(/[ ,]+/).includes('openid')) return sendHtml(res, 400, 'invalid_scope', '<p>The scope must include openid.</p>');
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return sendHtml(res, 400, 'bad_redirect_uri', '<p>redirect_uri is missing or not http(s).</p>');
    const team = params.get('team');
    const picked = findMember(approve ? params.get('member') : params.get('login_hint'), team);
    if (picked) return redirectWithCode(res, params, picked);
    if (approve) return sendHtml(res, 400, 'unknown member', '<p>No such pretend member.</p>');
    const choices = members
      .filter((m) => team === null || m.teamId === team)
      .map((m) => {
        const link = new URLSearchParams(params);
        link.set('member', `${m.teamId}:${m.userId}`);
        return `<li><a href="${escapeHtml(`${APPROVE_PATH}?${link}`)}">${escapeHtml(m.name)}</a> (${escapeHtml(m.email)}, ${escapeHtml(m.teamName)} ${escapeHtml(m.teamId)})</li>`;
      })
      .join('');
    const cancel = new URL(redirectUri);
    cancel.searchParams.set('error', 'access_denied');
    if (params.has('state')) cancel.searchParams.set('state', params.get('state')!);
    sendHtml(res, 200, 'Sign in with Slack (stand-in)', `<p>Sign in as:</p><ul>${choices}</ul><p><a href="${escapeHtml(cancel.toString())}">Cancel</a></p>`);
  }

  async function idToken(code: IssuedCode): Promise<string> {
    const { member } = code;
    const iat = now();
    const claims: Record<string, unknown> = {
      iss: ISSUER,
      sub: member.userId,
      aud: code.clientId,
      exp: iat + ID_TOKEN_TTL_S,
      iat,
      auth_time: iat,
      ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
      'https://slack.com/team_id': member.teamId,
      'https://slack.com/user_id': member.userId,
      email: member.email,
      email_verified: true,
      date_email_verified: iat - 86_400,
      locale: 'en-US',
      name: member.name,
      given_name: member.name.split(' ')[0],
      family_name: member.name.split(' ').slice(1).join(' '),
      'https://slack.com/team_name': member.teamName,
      'https://slack.com/team_domain': member.teamName.toLowerCase().replace(/\W+/g, ''),
    };
    const change = tampering.shift();
    for (const [name, value] of Object.entries(change?.claims ?? {})) {
      if (value === undefined) delete claims[name];
      else claims[name] = value;
    }
    const key: CryptoKey = change?.foreignKey ? foreign.privateKey : signing.privateKey;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  }

  async function token(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    tokenCalls += 1;
    const args = argumentsOf(req, body);
    const client = clientCredentials(req, args);
    if (client.id !== clientId) return sendJson(res, { ok: false, error: 'invalid_client_id' });
    if (client.secret !== clientSecret) return sendJson(res, { ok: false, error: 'bad_client_secret' });
    if (args.grant_type !== undefined && args.grant_type !== 'authorization_code') return sendJson(res, { ok: false, error: 'invalid_grant_type' });
    const issued = args.code === undefined ? undefined : codes.get(args.code);
    // One use only: a second exchange of the same code fails, as at Slack.
    if (args.code !== undefined) codes.delete(args.code);
    if (!issued || issued.expiresAt < now()) return sendJson(res, { ok: false, error: 'invalid_code' });
    if (args.redirect_uri !== issued.redirectUri) return sendJson(res, { ok: false, error: 'bad_redirect_uri' });
    const accessToken = `xoxp-${issued.member.teamId}-${randomBytes(12).toString('hex')}`;
    accessTokens.set(accessToken, issued.member);
    sendJson(res, { ok: true, access_token: accessToken, token_type: 'Bearer', id_token: await idToken(issued) });
  }

  function userInfo(req: IncomingMessage, res: ServerResponse, body: string): void {
    userInfoCalls += 1;
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? argumentsOf(req, body).token;
    if (!bearer) return sendJson(res, { ok: false, error: 'not_authed' });
    const member = accessTokens.get(bearer);
    if (!member) return sendJson(res, { ok: false, error: 'invalid_auth' });
    sendJson(res, {
      ok: true,
      sub: member.userId,
      'https://slack.com/user_id': member.userId,
      'https://slack.com/team_id': member.teamId,
      email: member.email,
      email_verified: true,
      date_email_verified: now() - 86_400,
      name: member.name,
      picture: 'https://secure.gravatar.com/avatar/standin.png',
      given_name: member.name.split(' ')[0],
      family_name: member.name.split(' ').slice(1).join(' '),
      locale: 'en-US',
      'https://slack.com/team_name': member.teamName,
      'https://slack.com/team_domain': member.teamName.toLowerCase().replace(/\W+/g, ''),
    });
  }

  return {
    clientId,
    clientSecret,
    members,
    async handle(req, res, body) {
      const path = (req.url ?? '/').split('?')[0];
      const reads = req.method === 'GET' || req.method === 'POST';
      if (req.method === 'GET' && path === AUTHORIZE_PATH) authorize(req, res, false);
      else if (req.method === 'GET' && path === APPROVE_PATH) authorize(req, res, true);
      else if (req.method === 'GET' && path === KEYS_PATH) sendJson(res, { keys: [publicJwk] });
      else if (req.method === 'POST' && path === TOKEN_PATH) await token(req, res, body);
      else if (reads && path === USER_INFO_PATH) userInfo(req, res, body);
      else return false;
      return true;
    },
    tamperNextIdToken(change) {
      tampering.push(change);
    },
    tokenCalls: () => tokenCalls,
    userInfoCalls: () => userInfoCalls,
  };
}

export interface SlackOpenIdStandIn extends SlackOpenIdRoutes {
  /** SLACK_OPENID_URL: the authorize page. */
  openIdUrl: string;
  /** SLACK_API_URL: where openid.connect.token and .userInfo answer. */
  apiUrl: string;
  close(): Promise<void>;
}

export async function startSlackOpenIdStandIn(options: SlackOpenIdStandInOptions & { port?: number } = {}): Promise<SlackOpenIdStandIn> {
  const routes = await createSlackOpenIdRoutes(options);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      routes
        .handle(req, res, Buffer.concat(chunks).toString('utf8'))
        .then((answered) => {
          if (!answered) sendHtml(res, 404, 'Not found', '');
        })
        .catch((err: unknown) => sendJson(res, { ok: false, error: 'internal_error', detail: String(err) }));
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...routes,
    openIdUrl: `${origin}${AUTHORIZE_PATH}`,
    apiUrl: `${origin}/api/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

if (require.main === module) {
  void startSlackOpenIdStandIn({ port: Number(process.argv[2] ?? 8091) }).then((standIn) => {
    process.stdout.write(
      [
        'Sign in with Slack stand-in listening.',
        `export SLACK_OPENID_URL=${standIn.openIdUrl}`,
        `export SLACK_API_URL=${standIn.apiUrl}`,
        `export SLACK_CLIENT_ID=${standIn.clientId}`,
        `export SLACK_CLIENT_SECRET=${standIn.clientSecret}`,
        '',
      ].join('\n'),
    );
  });
}
