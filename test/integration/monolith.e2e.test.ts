import request from 'supertest';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { describeWithRedis } from '../support/redis';
import { describeWithRedisCluster } from '../support/redis-cluster';

/** Signed Slack event in, reply out at the Slack stand-in: the monolith exactly as `npm start` wires it. */
function endToEnd(env: () => Record<string, string>) {
  let h: JeevesHarness;
  beforeAll(async () => {
    h = await startJeevesHarness(env());
  });
  afterAll(async () => {
    await h?.close();
  });

  const repliesTo = (channel: string) => () => h.slack.messages.filter((m) => m.channel === channel);

  it('when a member saves a location then asks for the weather, then both replies reach Slack in order', async () => {
    const channel = 'D0E2E00001';
    const first = h.signedDm('location set Paris', { channel });
    await request(h.jeeves.app).post('/slack/events').set(first.headers).send(first.body).expect(200);
    await eventually(repliesTo(channel), (r) => r.length === 1);
    const second = h.signedDm('weather', { channel });
    await request(h.jeeves.app).post('/slack/events').set(second.headers).send(second.body).expect(200);
    const replies = await eventually(repliesTo(channel), (r) => r.length === 2);
    expect(replies[0]!.text).toMatch(/Paris/);
    expect(replies[1]!.text).toMatch(/Paris.*°C/s);
  });

  it('every log line of the run, at trace, holds no secret (the harness also checks this at close)', () => {
    expect(h.logs.lines()).toBeGreaterThan(10);
    expect(h.logs.leaks()).toEqual([]);
  });

  it('when Slack retries an event, then it is acknowledged and answered once', async () => {
    const channel = 'D0E2E00002';
    const event = h.signedDm('help', { channel, eventId: `EvRETRY${Date.now()}` });
    await request(h.jeeves.app).post('/slack/events').set(event.headers).send(event.body).expect(200);
    await request(h.jeeves.app).post('/slack/events').set(event.headers).set('x-slack-retry-num', '1').set('x-slack-retry-reason', 'http_timeout').send(event.body).expect(200);
    await eventually(repliesTo(channel), (r) => r.length >= 1);
    // Every event accepted has been processed and every reply it queued posted: a duplicate would be in by now.
    await h.jobsEnded();
    expect(repliesTo(channel)()).toHaveLength(1);
  });

  it('when the weather provider is down, then the member is told so and nothing crashes', async () => {
    const channel = 'D0E2E00003';
    h.openMeteo.failNext(10, 503);
    const event = h.signedDm('weather in Tokyo', { channel });
    await request(h.jeeves.app).post('/slack/events').set(event.headers).send(event.body).expect(200);
    const [reply] = await eventually(repliesTo(channel), (r) => r.length === 1);
    expect(reply!.text).toMatch(/cannot be reached/);
  });

  it('readiness reports every dependency, and metrics count the requests', async () => {
    const ready = await request(h.jeeves.app).get('/readyz').expect(200);
    expect(ready.body.checks).toEqual(expect.arrayContaining(['database', 'queue']));
    const metrics = await request(h.jeeves.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/jeeves_http_requests_total\{method="POST",route="\/slack\/events",status="200"\} \d+/);
  });
}

describe('monolith end to end, in-process queue', () => endToEnd(() => ({})));

describeWithRedis('monolith end to end, BullMQ', (redisUrl) => endToEnd(() => ({ REDIS_URL: redisUrl })));

describeWithRedisCluster('monolith end to end, BullMQ on a Redis Cluster', (clusterUrl) => endToEnd(() => ({ REDIS_URL: clusterUrl })));
