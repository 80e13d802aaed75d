import express from 'express';
import request from 'supertest';
import type { Infrastructure } from '../../src/infrastructure/infrastructure';
import type { Auth } from '../../src/modules/auth';
import { wireWebLimits } from '../../src/monolith/wire-limits';
import { errorMiddleware } from '../../src/platform/errors';
import { createLogger } from '../../src/platform/logger';

/** Per Slack team on signed-in routes: one team's burst is limited, another team and strangers are not counted with it. */
function appWith(perTeamPerMinute: number) {
  const infra = { keyPrefix: `jt-limits-${process.pid}:` } as Infrastructure;
  // The member as the session would give it: here from a header, so the test needs no sign-in.
  const auth = { currentMember: (req: express.Request) => (req.get('x-team') ? { teamId: req.get('x-team')!, userId: 'U0X' } : undefined) } as unknown as Auth;
  const limits = wireWebLimits(infra, auth, { perIpPerMinute: 1000, perTeamPerMinute });
  const app = express();
  app.use(limits.perTeam);
  app.get(['/me', '/api/thing', '/elsewhere'], (_req, res) => void res.json({ ok: true }));
  app.use(errorMiddleware(createLogger({ level: 'silent' })));
  return app;
}

it('when one team goes past its limit, then its members get 429 with Retry-After and another team still gets in', async () => {
  const app = appWith(3);
  const team = (t: string, path = '/me') => request(app).get(path).set('x-team', t);
  expect([(await team('T0A')).status, (await team('T0A', '/api/thing')).status, (await team('T0A')).status]).toEqual([200, 200, 200]);
  const limited = await team('T0A');
  expect(limited.status).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect((await team('T0B')).status).toBe(200);
});

it('requests without a signed-in member, or outside the limited paths, are not counted per team', async () => {
  const app = appWith(1);
  for (let i = 0; i < 3; i++) expect((await request(app).get('/me')).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await request(app).get('/elsewhere').set('x-team', 'T0C')).status).toBe(200);
});
