import request from 'supertest';
import { signSlackRequest } from '../../src/modules/slack';
import { createSlackEventsRouter, type WorkspaceGone } from '../../src/modules/slack/slack.events.routes';
import { createApp } from '../../src/platform/app';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createMemoryQueue } from '../../src/platform/queue';

/**
 * app_uninstalled and tokens_revoked are recorded before Slack hears 200: when recording fails,
 * Slack gets no acknowledgement, so it sends the event again and the revocation is not lost.
 */

const SECRET = 'revocation-test-secret';
const logger = createLogger({ level: 'silent' });

function appRecording(sink: (gone: WorkspaceGone) => Promise<void>) {
  const queue = createMemoryQueue({ logger });
  const app = createApp({
    logger,
    metrics: createMetrics({ defaults: false }),
    readiness: {},
    rawBodyRoutes: [{ path: '/slack', router: createSlackEventsRouter({ signingSecret: SECRET, queue, logger, onWorkspaceGone: sink }) }],
  });
  return { app, close: () => queue.close(0) };
}

const event = (inner: object) =>
  JSON.stringify({ token: 'unused', team_id: 'T0GONE', api_app_id: 'A0MDYCDME', event: inner, type: 'event_callback', event_id: 'Ev0GONE', event_time: 1515449522 });

const post = (app: ReturnType<typeof appRecording>['app'], body: string) =>
  request(app).post('/slack/events').set({ 'content-type': 'application/json', ...signSlackRequest(SECRET, body) }).send(body);

it('when the revocation cannot be recorded, then Slack gets 503 (no ack, so it retries); once it can, 200', async () => {
  let failing = true;
  const recorded: WorkspaceGone[] = [];
  const { app, close } = appRecording(async (gone) => {
    if (failing) throw new Error('database down');
    recorded.push(gone);
  });
  try {
    const body = event({ type: 'app_uninstalled' });
    const refused = await post(app, body);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: expect.objectContaining({ code: 'SLACK.REVOCATION_FAILED' }) });
    failing = false;
    expect((await post(app, body)).status).toBe(200);
    expect(recorded).toEqual([{ teamId: 'T0GONE', event: 'app_uninstalled' }]);
  } finally {
    await close();
  }
});

it('tokens_revoked hands over the revoked user and bot ids, and nothing that is not a string', async () => {
  const recorded: WorkspaceGone[] = [];
  const { app, close } = appRecording(async (gone) => void recorded.push(gone));
  try {
    await post(app, event({ type: 'tokens_revoked', tokens: { oauth: ['U0A', 7], bot: ['U0BOT'] } })).expect(200);
    expect(recorded).toEqual([{ teamId: 'T0GONE', event: 'tokens_revoked', tokens: { oauth: ['U0A'], bot: ['U0BOT'] } }]);
  } finally {
    await close();
  }
});
