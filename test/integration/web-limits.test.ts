import request from 'supertest';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';

/**
 * The web application firewall: a burst from one IP over the limit gets 429 with Retry-After
 * on the pages and the API, while Slack's own deliveries in the same burst are all taken.
 */

jest.setTimeout(120_000);

let h: JeevesHarness;
beforeAll(async () => {
  h = await startJeevesHarness();
});
afterAll(() => h?.close());

it('when one IP bursts past 300 requests a minute, then 429 with Retry-After on pages and the API, and every Slack event of the burst is still processed', async () => {
  const statuses: number[] = [];
  const events: Array<Promise<number>> = [];
  for (let i = 0; i < 320; i++) {
    statuses.push((await request(h.jeeves.app).get(i % 2 === 0 ? '/login' : '/api/users')).status);
    if (i % 16 === 0) {
      const { body, headers } = h.signedDm('help', { channel: `D0BURST${i}` });
      events.push(request(h.jeeves.app).post('/slack/events').set(headers).send(body).then((res) => res.status));
    }
  }
  expect(statuses.slice(0, 290).every((status) => status !== 429)).toBe(true);
  expect(statuses.slice(-10)).toEqual(Array(10).fill(429));

  const limited = await request(h.jeeves.app).get('/api/users');
  expect(limited.status).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect(limited.body).toEqual({ error: expect.objectContaining({ code: 'HTTP.RATE_LIMITED' }) });
  const page = await request(h.jeeves.app).get('/install');
  expect(page.status).toBe(429);

  expect(await Promise.all(events)).toEqual(Array(events.length).fill(200));
  await h.jobsEnded();
  const answered = new Set(h.slack.messages.map((m) => m.channel).filter((c) => c.startsWith('D0BURST')));
  expect(answered.size).toBe(events.length);
  // Health and metrics stay answerable for the probes.
  expect((await request(h.jeeves.app).get('/healthz')).status).toBe(200);
});
