import { signSlackRequest } from '../../src/modules/slack';

/** One Slack Events API request, body and headers exactly as Slack would send them. */
export interface SignedRequest {
  body: Buffer;
  headers: Record<string, string>;
}

export interface SignedEventsOptions {
  signingSecret: string;
  count: number;
  /** Makes event ids unique across runs and rounds, so dedupe never short-circuits a request. */
  idPrefix: string;
  text?: string;
  teamId?: string;
  /** How many distinct members send the messages (each with their own DM channel). */
  members?: number;
  /** Put each message in its own thread: the reply then names it, so it can be matched to its event. */
  threaded?: boolean;
}

export const BOT_USER_ID = 'U0LAN0Z89';
export const TEAM_ID = 'T061EG9R6';

/** The thread timestamp given to event `seq` when `threaded`; replies carry it back as thread_ts. */
export function threadTsOf(seq: number): string {
  return `${1_600_000_000 + seq}.000100`;
}

/**
 * A direct message to the bot in the shape of ../shared/samples/slack-event-message-im.json,
 * with the rich-text blocks real clients add (so the body has a realistic ~1 KB size).
 */
function messageEvent(options: Required<Omit<SignedEventsOptions, 'count' | 'signingSecret'>>, seq: number): string {
  const member = seq % options.members;
  const user = `U${String(member).padStart(9, '0')}`;
  const ts = `${1_700_000_000 + seq}.${String(seq % 1_000_000).padStart(6, '0')}`;
  const event: Record<string, unknown> = {
    type: 'message',
    channel: `D${String(member).padStart(9, '0')}`,
    user,
    text: options.text,
    ts,
    event_ts: ts,
    channel_type: 'im',
    client_msg_id: `c0ffee00-0000-4bcd-9ef0-${String(seq).padStart(12, '0')}`,
    team: options.teamId,
    blocks: [
      {
        type: 'rich_text',
        block_id: `b${seq}`,
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: options.text }] }],
      },
    ],
  };
  if (options.threaded) event.thread_ts = threadTsOf(seq);
  return JSON.stringify({
    token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
    team_id: options.teamId,
    api_app_id: 'A0MDYCDME',
    event,
    type: 'event_callback',
    event_id: `Ev${options.idPrefix}${seq.toString(36).toUpperCase()}`,
    event_time: 1_700_000_000 + seq,
    authorizations: [{ enterprise_id: null, team_id: options.teamId, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: '4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMDYxRUc5UjYiLCJhaWQiOiJBME1EWUNETUUiLCJjaWQiOiJEMDI0QkU5MUwifQ',
  });
}

/** Bodies and signatures made before a timed run, so signing costs the load generator nothing during it. */
export function signedEvents(options: SignedEventsOptions): SignedRequest[] {
  const filled = { text: 'help', teamId: TEAM_ID, members: 50, threaded: false, ...options };
  const timestamp = Math.floor(Date.now() / 1000);
  const out: SignedRequest[] = [];
  for (let seq = 0; seq < options.count; seq++) {
    const body = Buffer.from(messageEvent(filled, seq));
    out.push({ body, headers: { 'content-type': 'application/json', ...signSlackRequest(options.signingSecret, body, timestamp) } });
  }
  return out;
}

/**
 * The whole HTTP/1.1 request as one buffer, headers and body together, so it leaves in a
 * single write: a request split over two writes can wait on Nagle's algorithm and the
 * server's delayed ACK (40 ms on Linux) instead of on the server.
 */
export function requestBytes(signed: SignedRequest, path: string, host: string): Buffer {
  let head = `POST ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\ncontent-length: ${signed.body.length}\r\n`;
  for (const [name, value] of Object.entries(signed.headers)) head += `${name}: ${value}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), signed.body]);
}
