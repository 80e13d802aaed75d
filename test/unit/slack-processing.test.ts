import {
  createSlackDelivery,
  createSlackEventProcessor,
  SLACK_DELIVERIES_QUEUE,
  SLACK_EVENTS_QUEUE,
  type DevOutbox,
  type MessageHandler,
  type OutgoingSlackMessage,
  type SlackDelivery,
} from '../../src/modules/slack';
import { earlierTryMayHavePosted, NOT_POSTED, type DeliveryFailure } from '../../src/modules/slack/slack.delivery';
import { HANDLER_FAILED_REPLY } from '../../src/modules/slack/slack.event-processor';
import type { IncomingSlackMessage } from '../../src/modules/slack/slack.types';
import type { SlackWebClient } from '../../src/modules/slack/slack.web-client';
import { createLogger } from '../../src/platform/logger';
import type { JobHandler, JobInfo, JobOptions, JobQueue, WorkOptions } from '../../src/platform/queue';

/** The event processor and the delivery worker, on a fake queue that hands jobs over by hand. */

const logger = createLogger({ level: 'silent' });

interface Added {
  queue: string;
  data: unknown;
  options: JobOptions | undefined;
}

function fakeQueue() {
  const added: Added[] = [];
  const handlers = new Map<string, JobHandler<unknown>>();
  const worked = new Map<string, WorkOptions | undefined>();
  const queue: JobQueue = {
    backend: 'memory',
    add: async (q, _name, data, options) => {
      added.push({ queue: q, data, options });
      return String(added.length);
    },
    remove: async () => undefined,
    upsertSchedule: async () => undefined,
    removeSchedule: async () => undefined,
    work: (q, handler, options) => {
      handlers.set(q, handler as JobHandler<unknown>);
      worked.set(q, options);
    },
    counts: async () => ({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 }),
    activity: async () => ({ completedLastMinute: 0, oldestWaitingSince: null }),
    failed: async () => [],
    ping: async () => undefined,
    close: async () => undefined,
  };
  const run = <T>(q: string, data: T, attemptsMade = 0, attempts = 5, earlier: Partial<Pick<JobInfo, 'attemptsStarted' | 'lastError'>> = {}) => {
    const job: JobInfo<T> = { id: '1', queue: q, name: 'job', data, attemptsMade, attemptsStarted: attemptsMade + 1, attempts, ...earlier };
    return handlers.get(q)!(job as JobInfo<unknown>);
  };
  return { queue, added, run, worked };
}

const eventJob = { eventId: 'Ev1', teamId: 'T1', userId: 'U1', channelId: 'C1', text: '<@UBOT> weather', botUserIds: ['UBOT'] };

describe('Slack event processor', () => {
  function setUp(handler: MessageHandler) {
    const { queue, run } = fakeQueue();
    const sent: OutgoingSlackMessage[] = [];
    const delivery: SlackDelivery = { send: async (m) => void sent.push(m), start: () => undefined };
    createSlackEventProcessor({ queue, handler, delivery, logger }).start();
    return { run, sent };
  }

  it('when the handler answers, then it saw the text without the mention and the reply is sent keyed by the event', async () => {
    const seen: IncomingSlackMessage[] = [];
    const { run, sent } = setUp(async (m) => {
      seen.push(m);
      return 'sunny';
    });
    await run(SLACK_EVENTS_QUEUE, eventJob);
    expect(seen).toEqual([{ eventId: 'Ev1', teamId: 'T1', userId: 'U1', channelId: 'C1', text: 'weather', source: 'event' }]);
    expect(sent).toEqual([{ teamId: 'T1', channel: 'C1', text: 'sunny', key: 'reply:Ev1' }]);
  });

  it('when the message was in a thread, then the reply goes to the thread', async () => {
    const { run, sent } = setUp(async () => 'sunny');
    await run(SLACK_EVENTS_QUEUE, { ...eventJob, threadTs: '1.5' });
    expect(sent).toEqual([expect.objectContaining({ threadTs: '1.5' })]);
  });

  it('when the handler answers null, then nothing is sent', async () => {
    const { run, sent } = setUp(async () => null);
    await run(SLACK_EVENTS_QUEUE, eventJob);
    expect(sent).toEqual([]);
  });

  it('when the handler fails with tries left, then the job fails for a retry and nothing is sent', async () => {
    const { run, sent } = setUp(async () => Promise.reject(new Error('db down')));
    await expect(run(SLACK_EVENTS_QUEUE, eventJob, 0, 5)).rejects.toThrow('db down');
    expect(sent).toEqual([]);
  });

  it('when the handler fails on the last try, then the person is told, once, under the same key', async () => {
    const { run, sent } = setUp(async () => Promise.reject(new Error('db down')));
    await expect(run(SLACK_EVENTS_QUEUE, eventJob, 4, 5)).rejects.toThrow('db down');
    expect(sent).toEqual([expect.objectContaining({ text: HANDLER_FAILED_REPLY, key: 'reply:Ev1' })]);
  });
});

describe('Slack delivery worker', () => {
  const message: OutgoingSlackMessage = { teamId: 'T1', channel: 'C1', text: 'hi', key: 'reply:Ev1' };

  function setUp(
    options: { limiter?: (m: OutgoingSlackMessage) => Promise<number>; post?: SlackWebClient['postMessage']; inChannel?: string; lookupFails?: Error } = {},
  ) {
    const { queue, added, run, worked } = fakeQueue();
    const posts: unknown[] = [];
    const lookups: unknown[] = [];
    const givenUp: DeliveryFailure[] = [];
    const client: SlackWebClient = {
      postMessage:
        options.post ??
        (async (request) => {
          posts.push(request);
          return { channel: request.channel, ts: '1.000001' };
        }),
      findPosted: async (request) => {
        lookups.push(request);
        if (options.lookupFails) throw options.lookupFails;
        return options.inChannel;
      },
    };
    const outbox: DevOutbox = { deliver: async () => true, list: async () => [] };
    const delivery = createSlackDelivery({
      queue,
      client,
      outbox,
      tokens: async () => 'xoxb-1',
      logger,
      ...(options.limiter ? { limiter: options.limiter } : {}),
      onGiveUp: async (f) => void givenUp.push(f),
    });
    delivery.start();
    return { delivery, added, run, worked, posts, lookups, givenUp };
  }

  it('works its queue out of any request context: its log lines name the message by key', () => {
    const { worked } = setUp();
    expect(worked.get(SLACK_DELIVERIES_QUEUE)).toEqual(expect.objectContaining({ inContext: false }));
  });

  it('queues each message with its key as the idempotency key, its job forgotten once delivered', async () => {
    const { delivery, added } = setUp();
    await delivery.send(message);
    expect(added).toEqual([{ queue: SLACK_DELIVERIES_QUEUE, data: message, options: { idempotencyKey: 'reply:Ev1', forgetWhenCompleted: true } }]);
  });

  it('on the first try, posts with the key and looks for nothing', async () => {
    const { run, posts, lookups } = setUp();
    await run(SLACK_DELIVERIES_QUEUE, message);
    expect(posts).toEqual([{ token: 'xoxb-1', channel: 'C1', text: 'hi', key: 'reply:Ev1' }]);
    expect(lookups).toEqual([]);
  });

  it.each([
    ['the first try', { attemptsStarted: 1, attemptsMade: 0 }, false],
    ['a try after one whose worker died', { attemptsStarted: 2, attemptsMade: 0 }, true],
    ['a try after Slack answered an error', { attemptsStarted: 2, attemptsMade: 1, lastError: `${NOT_POSTED}Slack chat.postMessage answered HTTP 500` }, false],
    ['a try after Slack did not answer', { attemptsStarted: 2, attemptsMade: 1, lastError: 'Slack chat.postMessage: no answer within 5000 ms' }, true],
    ['a try after a failure that says nothing', { attemptsStarted: 2, attemptsMade: 1 }, true],
    ['a try after an error, then a dead worker', { attemptsStarted: 3, attemptsMade: 1, lastError: `${NOT_POSTED}throttled` }, true],
  ])('whether an earlier try may have posted: %s', (_what, job, expected) => {
    expect(earlierTryMayHavePosted(job)).toBe(expected);
  });

  it('when an earlier try may have posted and the message is in the channel, then nothing is posted', async () => {
    const { run, posts, lookups } = setUp({ inChannel: '1.000001' });
    await run(SLACK_DELIVERIES_QUEUE, message, 0, 5, { attemptsStarted: 2 });
    expect(lookups).toEqual([expect.objectContaining({ token: 'xoxb-1', channel: 'C1', key: 'reply:Ev1' })]);
    expect(posts).toEqual([]);
  });

  it('when an earlier try may have posted and the channel has no such message, then it is posted', async () => {
    const { run, posts, lookups } = setUp();
    await run(SLACK_DELIVERIES_QUEUE, { ...message, threadTs: '9.000001' }, 0, 5, { attemptsStarted: 2 });
    expect(lookups).toEqual([expect.objectContaining({ threadTs: '9.000001', key: 'reply:Ev1' })]);
    expect(posts).toHaveLength(1);
  });

  it('when looking in the channel fails for a while (Slack 5xx), then nothing is posted and the next try looks again', async () => {
    const { run, posts } = setUp({ lookupFails: new Error('Slack conversations.history answered HTTP 503') });
    const err = (await run(SLACK_DELIVERIES_QUEUE, message, 0, 5, { attemptsStarted: 2 }).catch((e: unknown) => e)) as Error;
    expect(posts).toEqual([]);
    // Not "not posted": the earlier try's outcome is still unknown, so the next try must look too.
    expect(err.message).toBe('Slack conversations.history answered HTTP 503');
    expect(earlierTryMayHavePosted({ attemptsStarted: 3, attemptsMade: 1, lastError: err.message })).toBe(true);
  });

  it('when the limiter says wait on a try after one of unknown outcome, then the error does not say "not posted": the next try still looks', async () => {
    const { run, posts, lookups } = setUp({ limiter: async () => 1500 });
    const err = (await run(SLACK_DELIVERIES_QUEUE, message, 0, 5, { attemptsStarted: 2 }).catch((e: unknown) => e)) as Error;
    expect([posts, lookups]).toEqual([[], []]);
    expect(err.message).toBe('Slack delivery throttled for 1500 ms');
  });

  it('when the limiter says wait, then the job is retried after that wait, nothing is posted, and the error says so', async () => {
    const { run, posts } = setUp({ limiter: async () => 1500 });
    const err = (await run(SLACK_DELIVERIES_QUEUE, message).catch((e: unknown) => e)) as Error & { retryAfterMs: number };
    expect(err).toMatchObject({ name: 'RetryAfterError', retryAfterMs: 1500 });
    expect(err.message.startsWith(NOT_POSTED)).toBe(true);
    expect(posts).toEqual([]);
  });

  it('when the post fails with an unknown outcome and tries are left, then it is not given up, and the error does not say "not posted"', async () => {
    const { run, givenUp } = setUp({ post: async () => Promise.reject(new Error('socket hang up')) });
    const err = (await run(SLACK_DELIVERIES_QUEUE, message, 1, 5).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('socket hang up');
    expect(givenUp).toEqual([]);
  });

  it('when Slack answered the post with an error, then the error says nothing was posted', async () => {
    const refused = Object.assign(new Error('Slack chat.postMessage answered HTTP 503'), { notPosted: true });
    const { run } = setUp({ post: async () => Promise.reject(refused) });
    const err = (await run(SLACK_DELIVERIES_QUEUE, message, 0, 5).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`${NOT_POSTED}Slack chat.postMessage answered HTTP 503`);
  });
});
