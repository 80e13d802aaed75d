import request from 'supertest';
import { sessionCookie, signIn, slackRedirectFor, startAuthTestApp, type AuthTestApp } from '../support/auth-app';
import { captureLogs } from '../support/log-capture';

/** A sign-in, a replayed callback and a forged state, logged at trace: no code, state, cookie or client secret in any line. */

jest.setTimeout(60_000);

const captured = captureLogs('trace');
let t: AuthTestApp;
beforeAll(async () => {
  t = await startAuthTestApp({ logger: captured.logger });
});
afterAll(() => t?.close());

it('when people sign in, replay a callback and forge a state, then the logs hold none of their secrets', async () => {
  const agent = request.agent(t.app);
  const login = await agent.get('/login').expect(302);
  const callbackPath = await slackRedirectFor(login.headers.location!);
  const callback = await agent.get(callbackPath);
  expect(callback.status).toBe(303);
  await agent.get(callbackPath).expect(403);
  const forged = new URL(await slackRedirectFor((await request(t.app).get('/login').expect(302)).headers.location!), 'http://x');
  forged.searchParams.set('state', 'forged-state-value-of-some-length');
  await request(t.app).get(`${forged.pathname}${forged.search}`).expect(403);
  await signIn(request.agent(t.app), 'U0BOB');

  const query = new URL(callbackPath, 'http://x').searchParams;
  const secrets = [query.get('code')!, query.get('state')!, 'forged-state-value-of-some-length', sessionCookie(callback)!.split('=')[1]!, t.slack.clientSecret];
  const logs = captured.lines.join('');
  expect(captured.lines.length).toBeGreaterThan(0);
  for (const secret of secrets) expect({ secret, found: logs.includes(secret) }).toEqual({ secret, found: false });
});
