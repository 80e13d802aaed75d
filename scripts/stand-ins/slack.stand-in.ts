import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Slack Web API (chat.postMessage, conversations.history and .replies, users.info) answering in Slack's wire format
 * (../shared/samples/slack-chat-postMessage-response.json, slack-ratelimited.txt), so
 * Jeeves' real client code runs end to end in tests and benchmarks without a workspace.
 * Tests script the next answers (429, 5xx, ok:false) and read what was posted.
 *
 * Offline: `npx tsx scripts/stand-ins/slack.stand-in.ts [port]` prints SLACK_API_URL and the token.
 */
export interface RecordedPost {
  channel: string;
  text: string;
  thread_ts?: string;
  ts: string;
  /** Message metadata as posted ({event_type, event_payload}); history shows it with include_all_metadata. */
  metadata?: unknown;
  /** The bot token the post was made with. */
  token?: string;
}

/** Another part of Slack served from the same port (the OAuth stand-in): true when it answered. */
export type StandInRoutes = (req: IncomingMessage, res: ServerResponse, raw: string) => boolean | Promise<boolean>;

/** One scripted answer, used once and in order; then the stand-in answers normally again. */
export type ScriptedResponse =
  /** 429 with Retry-After (seconds; default 30, as in the sample). */
  | { status: 429; retryAfter?: number }
  /** Any other HTTP status with an optional raw body (e.g. 500, 503). */
  | { status: number; body?: string }
  /** HTTP 200 with {"ok": false, "error": ...}. */
  | { error: string }
  /** Wait, then answer normally. */
  | { delayMs: number }
  /** Take the post at once, but answer only after this long: Slack acted, its answer is late. */
  | { answerAfterMs: number };

export interface SlackApiStandIn {
  /** Ends with /api/, ready to be SLACK_API_URL. */
  url: string;
  token: string;
  /** Posts answered ok, in arrival order. */
  messages: RecordedPost[];
  /** Every chat.postMessage call, answered ok or not. */
  calls(): number;
  /** Scripts the next chat.postMessage answers. */
  scriptResponses(responses: ScriptedResponse[]): void;
  /** Scripts the next conversations.history / conversations.replies answers. */
  scriptHistoryResponses(responses: ScriptedResponse[]): void;
  /** Every conversations.history and conversations.replies call, answered ok or not. */
  historyCalls(): number;
  /** users.info's `tz` for one member; null makes Slack answer user_not_found for them. */
  setUserTimezone(userId: string, tz: string | null): void;
  /** Every users.info call, answered ok or not. */
  usersInfoCalls(): number;
  close(): Promise<void>;
}

export interface SlackApiStandInOptions {
  port?: number;
  /** The bot token callers must present; any other gets invalid_auth. */
  token?: string;
  /** users.info's `tz` for members without one of their own (default America/Los_Angeles, as in Slack's docs). */
  defaultTimezone?: string;
  /** Bot tokens accepted besides `token` (those the OAuth stand-in issued). */
  validToken?: (token: string) => boolean;
  /** Tried before the Web API methods. */
  routes?: StandInRoutes;
  /** Called with each post answered ok, as it is recorded (a chaos run times replies by it). */
  onPost?: (post: RecordedPost) => void;
}

/** Web API arguments as Slack takes them: query string, form body or JSON body. */
function argumentsOf(req: IncomingMessage, raw: string): Record<string, unknown> {
  const args: Record<string, unknown> = Object.fromEntries(new URL(req.url ?? '/', 'http://stand-in').searchParams);
  if (!raw) return args;
  try {
    return { ...args, ...(raw.trimStart().startsWith('{') ? (JSON.parse(raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw))) };
  } catch {
    return args;
  }
}

/** Slack's pages: an opaque cursor (here, the offset in base64), has_more and response_metadata.next_cursor. */
function page<T>(items: T[], args: Record<string, unknown>): { items: T[]; has_more: boolean; response_metadata: { next_cursor: string } } {
  const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
  const offset = typeof args.cursor === 'string' && args.cursor ? Number(Buffer.from(args.cursor, 'base64').toString('utf8')) || 0 : 0;
  const end = offset + limit;
  const more = end < items.length;
  return { items: items.slice(offset, end), has_more: more, response_metadata: { next_cursor: more ? Buffer.from(String(end)).toString('base64') : '' } };
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Answers a scripted failure; false when the script said only to wait. */
async function answerScripted(res: ServerResponse, scripted: ScriptedResponse): Promise<boolean> {
  if ('answerAfterMs' in scripted) return false;
  if ('delayMs' in scripted) {
    await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    return false;
  }
  if ('error' in scripted) send(res, 200, { ok: false, error: scripted.error });
  else if (scripted.status === 429) {
    const retryAfter = 'retryAfter' in scripted && scripted.retryAfter !== undefined ? scripted.retryAfter : 30;
    send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
  } else send(res, scripted.status, 'body' in scripted && scripted.body !== undefined ? scripted.body : '');
  return true;
}

export async function startSlackApiStandIn({
  port = 0,
  token = 'xoxb-stand-in-token',
  defaultTimezone = 'America/Los_Angeles',
  validToken,
  routes,
  onPost,
}: SlackApiStandInOptions = {}): Promise<SlackApiStandIn> {
  const messages: RecordedPost[] = [];
  const script: ScriptedResponse[] = [];
  const historyScript: ScriptedResponse[] = [];
  let historyCalls = 0;
  const timezones = new Map<string, string | null>();
  let calls = 0;
  let usersInfoCalls = 0;
  let sequence = 0;

  /** Answers not_authed or invalid_auth, as Slack does, unless the bot token is the right one. */
  function refusedToken(req: IncomingMessage, res: ServerResponse): boolean {
    const presented = bearer(req);
    if (presented === token || (presented !== undefined && validToken?.(presented))) return false;
    send(res, 200, { ok: false, error: req.headers.authorization ? 'invalid_auth' : 'not_authed' });
    return true;
  }

  /** users.info, by GET query or POST form/JSON body, as Slack accepts it. */
  function usersInfo(req: IncomingMessage, res: ServerResponse, raw: string): void {
    usersInfoCalls += 1;
    if (refusedToken(req, res)) return;
    let user = new URL(req.url ?? '/', 'http://stand-in').searchParams.get('user');
    if (!user && raw) {
      try {
        user = raw.trimStart().startsWith('{') ? String((JSON.parse(raw) as { user?: unknown }).user ?? '') : new URLSearchParams(raw).get('user');
      } catch {
        user = null;
      }
    }
    if (!user) return send(res, 200, { ok: false, error: 'user_not_found' });
    const tz = timezones.has(user) ? timezones.get(user)! : defaultTimezone;
    if (tz === null) return send(res, 200, { ok: false, error: 'user_not_found' });
    send(res, 200, { ok: true, user: { id: user, team_id: 'T0STANDIN', name: user.toLowerCase(), deleted: false, tz, tz_label: tz, is_bot: false } });
  }

  async function postMessage(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    calls += 1;
    const scripted = script.shift();
    if (scripted && (await answerScripted(res, scripted))) return;
    if (refusedToken(req, res)) return;
    let payload: { channel?: unknown; text?: unknown; thread_ts?: unknown; metadata?: unknown };
    try {
      payload = JSON.parse(raw) as typeof payload;
    } catch {
      send(res, 200, { ok: false, error: 'invalid_json' });
      return;
    }
    if (typeof payload.channel !== 'string' || payload.channel === '') return send(res, 200, { ok: false, error: 'channel_not_found' });
    if (typeof payload.text !== 'string' || payload.text === '') return send(res, 200, { ok: false, error: 'no_text' });
    sequence += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
    const post: RecordedPost = { channel: payload.channel, text: payload.text, ts, token: bearer(req) };
    if (typeof payload.thread_ts === 'string') post.thread_ts = payload.thread_ts;
    if (payload.metadata !== undefined) post.metadata = typeof payload.metadata === 'string' ? (JSON.parse(payload.metadata) as unknown) : payload.metadata;
    messages.push(post);
    onPost?.(post);
    const message = { text: post.text, username: 'jeeves', bot_id: 'B0LAN0Z89', type: 'message', subtype: 'bot_message', ts, ...(post.thread_ts ? { thread_ts: post.thread_ts } : {}) };
    if (scripted && 'answerAfterMs' in scripted) await new Promise((resolve) => setTimeout(resolve, scripted.answerAfterMs));
    send(res, 200, { ok: true, channel: post.channel, ts, message });
  }

  /** conversations.history (newest first) or conversations.replies (the thread, oldest first), as Slack pages them. */
  async function history(req: IncomingMessage, res: ServerResponse, raw: string, replies: boolean): Promise<void> {
    historyCalls += 1;
    const scripted = historyScript.shift();
    if (scripted && (await answerScripted(res, scripted))) return;
    if (refusedToken(req, res)) return;
    const args = argumentsOf(req, raw);
    if (typeof args.channel !== 'string' || args.channel === '') return send(res, 200, { ok: false, error: 'channel_not_found' });
    if (replies && typeof args.ts !== 'string') return send(res, 200, { ok: false, error: 'thread_not_found' });
    const oldest = Number(args.oldest ?? 0) || 0;
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
    const inScope = messages.filter(
      (m) => m.channel === args.channel && Number(m.ts) > oldest && (!replies || m.thread_ts === args.ts || m.ts === args.ts),
    );
    const ordered = replies ? inScope : [...inScope].reverse();
    const { items, ...paging } = page(ordered, args);
    const shown = items.map((m) => ({
      type: 'message',
      subtype: 'bot_message',
      text: m.text,
      ts: m.ts,
      bot_id: 'B0LAN0Z89',
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
    }));
    send(res, 200, { ok: true, messages: shown, ...paging });
  }

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (raw) => {
        if (routes && (await routes(req, res, raw))) return;
        const path = req.url?.split('?')[0];
        if (req.method === 'POST' && path === '/api/chat.postMessage') return postMessage(req, res, raw);
        if ((req.method === 'GET' || req.method === 'POST') && path === '/api/users.info') return usersInfo(req, res, raw);
        if ((req.method === 'GET' || req.method === 'POST') && path === '/api/conversations.history') return history(req, res, raw, false);
        if ((req.method === 'GET' || req.method === 'POST') && path === '/api/conversations.replies') return history(req, res, raw, true);
        return send(res, 404, { ok: false, error: 'unknown_method' });
      })
      .catch((err: unknown) => send(res, 500, { ok: false, error: 'internal_error', detail: String(err) }));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/api/`,
    token,
    messages,
    calls: () => calls,
    scriptResponses(responses) {
      script.push(...responses);
    },
    scriptHistoryResponses(responses) {
      historyScript.push(...responses);
    },
    historyCalls: () => historyCalls,
    setUserTimezone(userId, tz) {
      timezones.set(userId, tz);
    },
    usersInfoCalls: () => usersInfoCalls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? 8090);
  void startSlackApiStandIn({ port }).then((standIn) => {
    process.stdout.write(`Slack Web API stand-in listening.\nexport SLACK_API_URL=${standIn.url}\nexport SLACK_BOT_TOKEN=${standIn.token}\n`);
  });
}
