import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createSlackWebClient, type SlackWebClient } from '../../src/modules/slack';

/** chat.postMessage against the stand-in: Slack's wire format, and how each failure is classified. */

// Jest ignores testTimeout inside a project entry (it is a global option); real servers under load need more than 5 s.
jest.setTimeout(60_000);

describe('Slack Web API client: chat.postMessage', () => {
  let standIn: SlackApiStandIn;
  let client: SlackWebClient;

  beforeEach(async () => {
    standIn = await startSlackApiStandIn({ token: 'xoxb-right' });
    client = createSlackWebClient({ apiUrl: standIn.url, timeoutMs: 500 });
  });
  afterEach(() => standIn.close());

  const post = (overrides: Partial<Parameters<SlackWebClient['postMessage']>[0]> = {}) =>
    client.postMessage({ token: 'xoxb-right', channel: 'C0LAN2Q65', text: 'It is 17°C in Paris.', ...overrides });

  it('posts {channel, text, thread_ts} with the bot token and returns Slack’s ts', async () => {
    const posted = await post({ threadTs: '1515449000.000001' });
    expect(posted).toEqual({ channel: 'C0LAN2Q65', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(standIn.messages).toEqual([{ channel: 'C0LAN2Q65', text: 'It is 17°C in Paris.', thread_ts: '1515449000.000001', ts: posted.ts }]);
  });

  it('when Slack answers 429 with Retry-After: 30, then RetryAfterError of 30 s', async () => {
    standIn.scriptResponses([{ status: 429 }]);
    await expect(post()).rejects.toMatchObject({ name: 'RetryAfterError', retryAfterMs: 30_000 });
  });

  it.each(['channel_not_found', 'not_in_channel', 'account_inactive', 'token_revoked', 'msg_too_long', 'is_archived'])(
    'when Slack answers ok:false %s, then a permanent error with its code',
    async (error) => {
      standIn.scriptResponses([{ error }]);
      await expect(post()).rejects.toMatchObject({ name: 'PermanentJobError', code: `SLACK.${error.toUpperCase()}`, slackError: error });
    },
  );

  it('when the token is wrong, then invalid_auth, permanent', async () => {
    await expect(post({ token: 'xoxb-wrong' })).rejects.toMatchObject({ name: 'PermanentJobError', code: 'SLACK.INVALID_AUTH' });
  });

  it.each([
    ['ok:false internal_error', { error: 'internal_error' }],
    ['HTTP 500', { status: 500 }],
    ['HTTP 503 with an HTML body', { status: 503, body: '<html>down</html>' }],
    ['HTTP 200 that is not JSON', { status: 200, body: 'oops' }],
  ])('when Slack answers %s, then a retryable error', async (_what, response) => {
    standIn.scriptResponses([response]);
    const err = await post().catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('Error');
  });

  it('when Slack does not answer within the timeout, then a retryable error saying so', async () => {
    standIn.scriptResponses([{ delayMs: 1500 }]);
    await expect(post()).rejects.toThrow('no answer within 500 ms');
  });

  it('when nothing listens at SLACK_API_URL, then a retryable error saying it is unreachable', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const offline = createSlackWebClient({ apiUrl: `http://127.0.0.1:${port}/api/` });
    await expect(offline.postMessage({ token: 't', channel: 'C', text: 'x' })).rejects.toThrow('unreachable');
  });

  it('posts one message after another over one kept-alive connection', async () => {
    let connections = 0;
    const server: Server = createServer((req, res) => {
      req.resume();
      req.once('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, channel: 'C', ts: '1.000001' }));
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const local = createSlackWebClient({ apiUrl: `http://127.0.0.1:${port}/api/` });
      for (let i = 0; i < 3; i++) await expect(local.postMessage({ token: 't', channel: 'C', text: `x${i}` })).resolves.toEqual({ channel: 'C', ts: '1.000001' });
      expect(connections).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
