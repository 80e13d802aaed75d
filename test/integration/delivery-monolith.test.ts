import request from 'supertest';
import { createDeadLetters, createSlackWebClient, SLACK_DELIVERIES_QUEUE } from '../../src/modules/slack';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { ADMIN_CLIENT_ID } from '../../src/monolith/wire-switched-modules';
import { clientTokenFor } from '../support/service-tokens';

const ADMIN_SECRET = 'the-delivery-tests-admin-client-secret-of-40-chars';

/** Delivery as `npm start` wires it: rate limiter, dead letters, GET /api/admin/deliveries, /metrics. */

jest.setTimeout(60_000);

let h: JeevesHarness;
let sequence = 0;
const key = (label: string) => `test:${label}:${Date.now().toString(36)}:${(sequence += 1)}`;

beforeAll(async () => {
  h = await startJeevesHarness({ ADMIN_CLIENT_SECRET: ADMIN_SECRET });
});
afterAll(() => h.close());

const postsTo = (channel: string) => h.slack.messages.filter((m) => m.channel === channel);
/** Every message sent so far has been posted or given up: no further call to Slack can come from it. */
const deliveriesEnded = () => h.jobsEnded([SLACK_DELIVERIES_QUEUE]);

describe('Slack delivery in the monolith', () => {
  it('when Slack answers channel_not_found, then the message is dead-lettered once without retries and listed for admins', async () => {
    const calls = h.slack.calls();
    h.slack.scriptResponses([{ error: 'channel_not_found' }]);
    const k = key('gone');
    await h.jeeves.delivery.send({ teamId: 'T1', channel: 'CGONE', text: 'lost', key: k });
    const token = await clientTokenFor(h.jeeves.app, ADMIN_CLIENT_ID, ADMIN_SECRET, 'admin');
    const { body } = await eventually(
      () => request(h.jeeves.app).get('/api/admin/deliveries?limit=10').set('authorization', `Bearer ${token}`),
      (res) => (res.body as { deadLetters?: unknown[] }).deadLetters?.length === 1,
    );
    expect(body).toEqual({
      deadLetters: [
        expect.objectContaining({ key: k, teamId: 'T1', channel: 'CGONE', text: 'lost', code: 'SLACK.CHANNEL_NOT_FOUND', attempts: 1, reason: expect.stringContaining('channel_not_found') }),
      ],
    });
    // No retry follows: the job has failed for good, and nothing is left to run.
    await deliveriesEnded();
    expect(await h.infra.queue.counts(SLACK_DELIVERIES_QUEUE)).toMatchObject({ failed: 1 });
    expect(h.slack.calls() - calls).toBe(1);
    expect(postsTo('CGONE')).toHaveLength(0);
    const metrics = await request(h.jeeves.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/jeeves_slack_dead_letters_total\{code="SLACK.CHANNEL_NOT_FOUND"\} 1/);
  });

  it('when the same message is given up twice, then it is dead-lettered once', async () => {
    const deadLetters = createDeadLetters({ dataSource: h.database.dataSource });
    const failure = { message: { teamId: 'T1', channel: 'CGONE2', text: 'lost', key: key('twice') }, code: 'SLACK.CHANNEL_NOT_FOUND', reason: 'gone', attemptsMade: 1 };
    expect(await deadLetters.record(failure)).toBe(true);
    expect(await deadLetters.record(failure)).toBe(false);
    const rows = (await h.database.dataSource.query('SELECT count(*)::int AS n FROM slack_dead_letters WHERE key = $1', [failure.message.key])) as Array<{ n: number }>;
    expect(rows[0]!.n).toBe(1);
  });

  it('when Slack answers 500 three times then 200, then the message is delivered once', async () => {
    const calls = h.slack.calls();
    h.slack.scriptResponses([{ status: 500 }, { status: 500 }, { status: 500 }]);
    await h.jeeves.delivery.send({ teamId: 'T1', channel: 'C500', text: 'after three errors', key: key('500') });
    await eventually(() => postsTo('C500').length, (n) => n === 1, 30_000);
    await deliveriesEnded();
    expect(postsTo('C500')).toEqual([expect.objectContaining({ text: 'after three errors' })]);
    expect(h.slack.calls() - calls).toBe(4);
  });

  it('when Slack answers 429 with Retry-After then 200, then the message is delivered once after the wait', async () => {
    const calls = h.slack.calls();
    h.slack.scriptResponses([{ status: 429, retryAfter: 1 }]);
    const started = Date.now();
    await h.jeeves.delivery.send({ teamId: 'T1', channel: 'C429', text: 'throttled', key: key('429') });
    await eventually(() => postsTo('C429').length, (n) => n === 1, 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await deliveriesEnded();
    expect(postsTo('C429')).toHaveLength(1);
    expect(h.slack.calls() - calls).toBe(2);
  });

  it('when three messages go to one channel at once, then the rate limiter spaces them about a second apart', async () => {
    const started = Date.now();
    await Promise.all([1, 2, 3].map((n) => h.jeeves.delivery.send({ teamId: 'T1', channel: 'CBURST', text: `burst ${n}`, key: key(`burst${n}`) })));
    await eventually(() => postsTo('CBURST').length, (n) => n === 3, 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1800);
    expect(new Set(postsTo('CBURST').map((m) => m.text)).size).toBe(3);
  });

  describe('a reminder handed to delivery when Redis lost the delivery', () => {
    /** A reminder as the reminders job leaves it: handed over (sent), due a minute ago. */
    async function sentReminder(channel: string): Promise<number> {
      const rows = (await h.database.dataSource.query(
        `INSERT INTO reminders_reminders (team_id, user_id, channel_id, text, due_at, status) VALUES ('T1', 'U1', $1, 'stretch', now() - interval '1 minute', 'sent') RETURNING id`,
        [channel],
      )) as Array<{ id: number }>;
      return rows[0]!.id;
    }
    const statusOf = async (id: number) => ((await h.database.dataSource.query('SELECT status FROM reminders_reminders WHERE id = $1', [id])) as Array<{ status: string }>)[0]!.status;

    it('when its message never reached Slack, then the start-up recovery posts it once and marks it delivered', async () => {
      const id = await sentReminder('CREMLOST');
      await h.jeeves.reminders.recoverPending();
      await eventually(() => statusOf(id), (status) => status === 'delivered', 15_000);
      await h.jeeves.reminders.recoverPending();
      // Whatever the second recovery handed over is queued by now: let it end.
      await deliveriesEnded();
      expect(postsTo('CREMLOST')).toEqual([expect.objectContaining({ text: ':alarm_clock: Reminder for <@U1>: stretch' })]);
    });

    it('when Slack refuses its message for good, then the reminder is marked failed and the message dead-lettered', async () => {
      const id = await sentReminder('CREMGONE');
      h.slack.scriptResponses([{ error: 'channel_not_found' }]);
      await h.jeeves.reminders.recoverPending();
      await eventually(() => statusOf(id), (status) => status === 'failed', 15_000);
      const letters = (await h.database.dataSource.query('SELECT code FROM slack_dead_letters WHERE key = $1', [`reminder:${id}`])) as Array<{ code: string }>;
      expect(letters).toEqual([{ code: 'SLACK.CHANNEL_NOT_FOUND' }]);
    });

    it('when the dead letter cannot be written, then the reminder is still marked failed', async () => {
      const id = await sentReminder('CREMGONE2');
      await h.database.dataSource.query('ALTER TABLE slack_dead_letters RENAME TO slack_dead_letters_away');
      try {
        h.slack.scriptResponses([{ error: 'channel_not_found' }]);
        await h.jeeves.reminders.recoverPending();
        await eventually(() => statusOf(id), (status) => status === 'failed', 15_000);
      } finally {
        await h.database.dataSource.query('ALTER TABLE slack_dead_letters_away RENAME TO slack_dead_letters');
      }
    });

    it('when its message had reached Slack, then the recovery finds it there, posts nothing, and marks it delivered', async () => {
      const id = await sentReminder('CREMPOSTED');
      await createSlackWebClient({ apiUrl: h.slack.url }).postMessage({ token: h.slack.token, channel: 'CREMPOSTED', text: 'the first post', key: `reminder:${id}` });
      const lookups = h.slack.historyCalls();
      await h.jeeves.reminders.recoverPending();
      await eventually(() => statusOf(id), (status) => status === 'delivered', 15_000);
      expect(h.slack.historyCalls() - lookups).toBe(1);
      expect(postsTo('CREMPOSTED').map((m) => m.text)).toEqual(['the first post']);
    });
  });
});
