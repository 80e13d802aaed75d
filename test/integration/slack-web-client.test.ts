import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createSlackWebClient } from '../../src/modules/slack';
import { slackDidNotPost, type SlackWebClient } from '../../src/modules/slack/slack.web-client';

/** chat.postMessage against the stand-in: Slack's wire format, and how each failure is classified. */

/** The error a call failed with; a call that succeeds fails the test. */
async function failureOf(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err as Error,
  );
}

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
    expect(standIn.messages).toEqual([{ channel: 'C0LAN2Q65', text: 'It is 17°C in Paris.', thread_ts: '1515449000.000001', ts: posted.ts, token: standIn.token }]);
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
    const err = await failureOf(post());
    expect(err.message).toBe('Slack chat.postMessage: no answer within 500 ms');
    // Slack may still post it: the next try waits as long again, and the outcome is unknown.
    expect(err).toMatchObject({ name: 'RetryAfterError', retryAfterMs: 500 });
    expect(slackDidNotPost(err)).toBe(false);
  });

  it.each([
    ['429', { status: 429 }],
    ['HTTP 500', { status: 500 }],
    ['ok:false internal_error', { error: 'internal_error' }],
    ['ok:false channel_not_found', { error: 'channel_not_found' }],
  ])('when Slack answers %s, then the error says nothing was posted', async (_what, response) => {
    standIn.scriptResponses([response]);
    expect(slackDidNotPost(await failureOf(post()))).toBe(true);
    expect(standIn.messages).toEqual([]);
  });

  it('when Slack answers 200 with a body that is not JSON, then the outcome is unknown (it may have posted)', async () => {
    standIn.scriptResponses([{ status: 200, body: 'oops' }]);
    expect(slackDidNotPost(await failureOf(post()))).toBe(false);
  });

  it('when nothing listens at SLACK_API_URL, then a retryable error saying it is unreachable', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const offline = createSlackWebClient({ apiUrl: `http://127.0.0.1:${port}/api/` });
    const err = await failureOf(offline.postMessage({ token: 't', channel: 'C', text: 'x' }));
    expect(err.message).toBe('Slack chat.postMessage: unreachable');
    // Refused at connect: no byte reached Slack.
    expect(slackDidNotPost(err)).toBe(true);
  });

  it('posts one message after another over kept-alive connections', async () => {
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
      for (let i = 0; i < 10; i++) await expect(local.postMessage({ token: 't', channel: 'C', text: `x${i}` })).resolves.toEqual({ channel: 'C', ts: '1.000001' });
      // The pool may open a second connection while the first is finishing an answer; no more.
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('Slack Web API client: finding a posted message by its key', () => {
  let standIn: SlackApiStandIn;
  let client: SlackWebClient;
  const since = Date.now() - 60_000;

  beforeEach(async () => {
    standIn = await startSlackApiStandIn({ token: 'xoxb-right' });
    client = createSlackWebClient({ apiUrl: standIn.url, timeoutMs: 500 });
  });
  afterEach(() => standIn.close());

  it('posts the key as message metadata, and finds that message in the channel history by it', async () => {
    const posted = await client.postMessage({ token: 'xoxb-right', channel: 'C1', text: 'hello', key: 'reply:Ev1' });
    await client.postMessage({ token: 'xoxb-right', channel: 'C1', text: 'other', key: 'reply:Ev2' });

    expect(standIn.messages[0]!.metadata).toEqual({ event_type: 'jeeves_delivery', event_payload: { key: 'reply:Ev1' } });
    await expect(client.findPosted({ token: 'xoxb-right', channel: 'C1', key: 'reply:Ev1', since })).resolves.toBe(posted.ts);
    await expect(client.findPosted({ token: 'xoxb-right', channel: 'C1', key: 'reply:Ev3', since })).resolves.toBeUndefined();
    // Another channel's history does not count.
    await expect(client.findPosted({ token: 'xoxb-right', channel: 'C2', key: 'reply:Ev1', since })).resolves.toBeUndefined();
  });

  it('looks among a thread’s replies for a message posted in the thread', async () => {
    const posted = await client.postMessage({ token: 'xoxb-right', channel: 'C1', text: 'in thread', threadTs: '1515449000.000001', key: 'reply:EvT' });

    await expect(client.findPosted({ token: 'xoxb-right', channel: 'C1', threadTs: '1515449000.000001', key: 'reply:EvT', since })).resolves.toBe(posted.ts);
    await expect(client.findPosted({ token: 'xoxb-right', channel: 'C1', threadTs: '1515449999.000001', key: 'reply:EvT', since })).resolves.toBeUndefined();
  });

  it('follows the cursor through a busy channel', async () => {
    const first = await client.postMessage({ token: 'xoxb-right', channel: 'C1', text: 'the first', key: 'reply:EvOld' });
    for (let i = 0; i < 450; i++) await client.postMessage({ token: 'xoxb-right', channel: 'C1', text: `chatter ${i}` });

    await expect(client.findPosted({ token: 'xoxb-right', channel: 'C1', key: 'reply:EvOld', since })).resolves.toBe(first.ts);
    // Newest first, 200 a page: the third page holds it.
    expect(standIn.historyCalls()).toBe(3);
  });

  it('when Slack refuses to show the history, then a permanent error with its code', async () => {
    standIn.scriptHistoryResponses([{ error: 'missing_scope' }]);
    await expect(client.findPosted({ token: 'xoxb-right', channel: 'C1', key: 'k', since })).rejects.toMatchObject({ name: 'PermanentJobError', code: 'SLACK.MISSING_SCOPE' });
  });

  it('when Slack answers the history with 500, then a retryable error', async () => {
    standIn.scriptHistoryResponses([{ status: 500 }]);
    const err = await failureOf(client.findPosted({ token: 'xoxb-right', channel: 'C1', key: 'k', since }));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('Error');
  });
});
