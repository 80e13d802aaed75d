import request from 'supertest';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE, type OutgoingSlackMessage } from '../../src/modules/slack';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { describeWithRedis } from '../support/redis';

/** WORKER_QUEUES: a process consumes only the queues it names, so each queue can have a pool of its own. */
function onlyDeliveries(env: () => Record<string, string>) {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness({ ...env(), WORKER_QUEUES: SLACK_DELIVERIES_QUEUE });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when a process consumes only deliveries, then it posts queued messages and leaves events waiting for another process', async () => {
    const event = h.signedDm('help', { channel: 'D0WQ000001' });
    await request(h.jeeves.app).post('/slack/events').set(event.headers).send(event.body).expect(200);
    const message: OutgoingSlackMessage = { teamId: 'T061EG9R6', channel: 'D0WQ000002', text: 'from the delivery pool', key: `wq:${Date.now()}` };
    await h.infra.queue.add(SLACK_DELIVERIES_QUEUE, 'post', message, { idempotencyKey: message.key });

    await eventually(() => h.slack.messages.map((m) => m.text), (texts) => texts.includes(message.text));
    // The event was accepted and is still waiting: no consumer of slack-events runs here.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await h.infra.queue.counts(SLACK_EVENTS_QUEUE)).toMatchObject({ waiting: 1, active: 0 });
    expect(h.slack.messages.map((m) => m.channel)).toEqual(['D0WQ000002']);
  });
}

describe('worker queues, in-process queue', () => onlyDeliveries(() => ({})));

describeWithRedis('worker queues, BullMQ', (redisUrl) => onlyDeliveries(() => ({ REDIS_URL: redisUrl })));
