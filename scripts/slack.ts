import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEV_SIGNING_SECRET_FILE, signSlackRequest } from '../src/modules/slack';
import { runAsCommand, type CliIo } from './cli';
import { startLocalSlack, STAND_IN_MESSAGES_PATH } from './stand-ins/local-slack.stand-in';

/**
 * `npm run slack -- "<text>" [--wait <seconds>] [--team T…] [--user U…] [--channel D…]`
 *
 * Tries Jeeves as a new user would, with no Slack workspace: sends a direct message to the
 * bot as a correctly signed Events API request (samples/slack-event-message-im.json), then
 * reads the reply from the dev outbox (or, for a workspace that installed through the local
 * Slack, from that Slack). With --wait, it keeps printing every message that arrives in that DM
 * until the time is up (a reminder due in a minute, say).
 *
 * `npm run slack -- --oauth [--port 8090]` runs Slack itself on this machine (Web API, Add to
 * Slack, Sign in with Slack) so a person can click through both in a browser.
 */
interface CliOptions {
  text: string;
  waitSeconds: number;
  follow: boolean;
  team: string;
  user: string;
  channel: string;
}

class CliError extends Error {}

const USAGE = 'usage: npm run slack -- "<text>" [--wait <seconds>] [--team <T…>] [--user <U…>] [--channel <D…>] | npm run slack -- --oauth [--port <n>]';
const POLL_MS = 250;
// The bot's own user in the sample workspace: Jeeves ignores messages from it, so the sender must differ.
const BOT_USER = 'U0LAN0Z89';

function parseArgs(argv: string[]): CliOptions {
  const words: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const flag = /^--(wait|team|user|channel)$/.exec(arg)?.[1];
    if (!flag) {
      if (arg.startsWith('--')) throw new CliError(`unknown option ${arg}; ${USAGE}`);
      words.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new CliError(`${arg} needs a value; ${USAGE}`);
    flags[flag] = value;
    i += 1;
  }
  if (words.length === 0) throw new CliError(USAGE);
  const waitSeconds = flags.wait === undefined ? 10 : Number(flags.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds <= 0) throw new CliError(`--wait must be a number of seconds, got ${flags.wait}`);
  const user = flags.user ?? 'U2147483697';
  if (user === BOT_USER) throw new CliError(`--user ${BOT_USER} is the bot itself; Jeeves ignores its own messages`);
  return {
    text: words.join(' '),
    waitSeconds,
    follow: flags.wait !== undefined,
    team: flags.team ?? 'T061EG9R6',
    user,
    // One DM channel per user, as in Slack, so a later reminder lands where the script looks.
    channel: flags.channel ?? `D${user.slice(1)}`,
  };
}

async function signingSecret(env: CliIo['env']): Promise<{ secret: string; source: string }> {
  if (env.SLACK_SIGNING_SECRET) return { secret: env.SLACK_SIGNING_SECRET, source: 'SLACK_SIGNING_SECRET' };
  const path = join(env.JEEVES_DATA_DIR || '.jeeves', DEV_SIGNING_SECRET_FILE);
  try {
    return { secret: (await readFile(path, 'utf8')).trim(), source: path };
  } catch {
    throw new CliError(`no signing secret: SLACK_SIGNING_SECRET is unset and ${path} does not exist (Jeeves writes it on its first \`npm start\`)`);
  }
}

function messageImEvent({ text, team, user, channel }: CliOptions): string {
  const now = Date.now();
  const ts = `${Math.floor(now / 1000)}.${String((now % 1000) * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0')}`;
  const eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
  return JSON.stringify({
    token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
    team_id: team,
    api_app_id: 'A0MDYCDME',
    event: { type: 'message', channel, user, text, ts, event_ts: ts, channel_type: 'im', client_msg_id: randomUUID(), team },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(now / 1000),
    authorizations: [{ enterprise_id: null, team_id: team, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
  });
}

interface OutboxMessage {
  id: string;
  text: string;
}

/** Where replies can be read: the dev outbox, and the local Slack when SLACK_API_URL names one. */
interface ReplySource {
  read(channel: string, after: string | undefined): Promise<OutboxMessage[]>;
}

function localSlackSource(apiUrl: string): ReplySource {
  let usable = true;
  return {
    async read(channel, after) {
      if (!usable) return [];
      const query = new URLSearchParams({ channel, ...(after === undefined ? {} : { after }) });
      try {
        const response = await fetch(new URL(`${STAND_IN_MESSAGES_PATH}?${query}`, apiUrl), { signal: AbortSignal.timeout(5000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { messages } = (await response.json()) as { messages: OutboxMessage[] };
        return after === undefined ? messages.slice(-1) : messages;
      } catch {
        // Not the local Slack (a real one, or none): only the dev outbox is read.
        usable = false;
        return [];
      }
    },
  };
}

async function call(base: string, path: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(5000) });
  } catch {
    throw new CliError(`Jeeves is not answering at ${base} — start it with \`npm start\``);
  }
}

async function readOutbox(base: string, channel: string, after: string | undefined): Promise<OutboxMessage[]> {
  const query = new URLSearchParams({ channel, ...(after === undefined ? { limit: '1' } : { after }) });
  const response = await call(base, `/dev/outbox?${query}`);
  if (response.status === 404) {
    throw new CliError(`Jeeves at ${base} has no dev outbox (it runs with NODE_ENV=production), so replies cannot be shown here`);
  }
  if (!response.ok) throw new CliError(`Jeeves' dev outbox answered HTTP ${response.status}`);
  return ((await response.json()) as { messages: OutboxMessage[] }).messages;
}

async function sendEvent(base: string, options: CliOptions, env: CliIo['env']): Promise<void> {
  const { secret, source } = await signingSecret(env);
  const body = messageImEvent(options);
  const response = await call(base, '/slack/events', { method: 'POST', headers: { 'content-type': 'application/json', ...signSlackRequest(secret, body) }, body });
  if (response.ok) return;
  const detail = await response.text().catch(() => '');
  if (response.status === 401) {
    throw new CliError(`Jeeves rejected the signature (401): the secret from ${source} is not the one Jeeves uses; set SLACK_SIGNING_SECRET to Jeeves' secret`);
  }
  throw new CliError(`Jeeves answered HTTP ${response.status} to the event: ${detail.slice(0, 200)}`);
}

async function runLocalSlack(argv: string[], out: CliIo['out']): Promise<void> {
  const portAt = argv.indexOf('--port');
  const port = portAt === -1 ? 8090 : Number(argv[portAt + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number; ${USAGE}`);
  const slack = await startLocalSlack({ port });
  out(
    [
      `Slack is running on this machine at ${new URL('/', slack.api.url).toString()} (Ctrl-C stops it).`,
      'In another terminal, start Jeeves with it:',
      '',
      ...Object.entries(slack.env).map(([name, value]) => `  export ${name}=${value}`),
      '  npm start',
      '',
      'Then open http://localhost:3000/install to add Jeeves to the pretend workspace (its installer is',
      "Alice, the workspace's admin), http://localhost:3000/login to sign in, and ask with",
      '`npm run slack -- help --team T0STANDIN --user U0ALICE` (with SLACK_API_URL exported as above,',
      'so replies posted to this Slack are read back).',
    ].join('\n'),
  );
  await new Promise<never>(() => undefined);
}

async function run({ argv, env, out }: CliIo): Promise<void> {
  if (argv[0] === '--oauth') return runLocalSlack(argv.slice(1), out);
  const options = parseArgs(argv);
  const base = env.JEEVES_URL || `http://localhost:${env.PORT || 3000}`;
  const outbox: ReplySource = { read: (channel, after) => readOutbox(base, channel, after) };
  const sources = [outbox, ...(env.SLACK_API_URL ? [localSlackSource(env.SLACK_API_URL)] : [])];
  // Remember where each source's history of the channel ends, so only what follows this message is printed.
  const cursors = await Promise.all(sources.map(async (source) => (await source.read(options.channel, undefined)).at(-1)?.id ?? (source === outbox ? '0' : '-1')));
  await sendEvent(base, options, env);
  const deadline = Date.now() + options.waitSeconds * 1000;
  let received = 0;
  while (Date.now() < deadline) {
    for (const [i, source] of sources.entries()) {
      for (const message of await source.read(options.channel, cursors[i])) {
        out(decodeSlackEntities(message.text));
        cursors[i] = message.id;
        received += 1;
      }
    }
    if (received > 0 && !options.follow) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
  if (received === 0) {
    throw new CliError(
      `no reply from Jeeves within ${options.waitSeconds} s (replies reach the dev outbox only when Jeeves has no SLACK_BOT_TOKEN; try --wait <seconds>)`,
    );
  }
}

/** Runs the command; resolves with the process exit code. */
export async function runSlackCli(io: CliIo): Promise<number> {
  try {
    await run(io);
    return 0;
  } catch (err) {
    io.err(err instanceof CliError ? `error: ${err.message}` : `error: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}

/** Slack escapes &, < and > in message text; a person reading the terminal wants them back, as Slack would render them. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

if (require.main === module) runAsCommand(runSlackCli);
