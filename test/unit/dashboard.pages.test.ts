import express from 'express';
import request from 'supertest';
import { createAdminPagesRouter, type ModulesPanel } from '../../src/modules/dashboard';
import { createLogger } from '../../src/platform/logger';

/** The Modules page's rendering of a panel: figures as text, the last mismatches escaped. */

const panel: ModulesPanel = {
  flagsTarget: 'file flags.json',
  refreshMs: 1500,
  process: 'web-1:42',
  processFigures: ['routes', 'shadowMismatchRate', 'recentMismatches', 'breaker'],
  modules: [
    {
      module: 'weather',
      placement: 'shadow',
      routing: 'shadow',
      rollout: 20,
      remotePercent: 0,
      shadowPercent: 20,
      stickiness: 'userId',
      remoteConfigured: true,
      breaker: 'half-open',
      routes: [{ route: 'shadow', callsPerMinute: 3, totalCalls: 8, outcomes: { ok: 6, error: 2 }, errorRate: 0.25, p50Ms: 50, p99Ms: 250 }],
      shadowMismatchRate: 0.125,
      recentMismatches: [{ at: '2026-12-03T07:00:00.000Z', method: 'current', local: '<script>x</script>', remote: '12°C' }],
    },
  ],
};

function app(overrides: Partial<Parameters<typeof createAdminPagesRouter>[0]> = {}) {
  const pass: express.RequestHandler = (_req, _res, next) => next();
  const a = express();
  a.use(
    createAdminPagesRouter({
      auth: { requireOperator: () => pass, currentMember: () => ({ teamId: 'T0A', userId: 'U0OP', name: 'Op' }), csrfToken: () => 'the-token' },
      modules: () => Promise.resolve(panel),
      flags: { list: () => Promise.resolve([]), setRollout: () => Promise.reject(new Error('not here')) },
      audit: { record: () => Promise.resolve(), list: () => Promise.resolve([]) },
      logger: createLogger({ level: 'silent' }),
      ...overrides,
    }),
  );
  return a;
}

it("renders a module's figures as a person reads them", async () => {
  const html = (await request(app()).get('/admin').expect(200)).text;
  const row = /<tr data-module="weather">[\s\S]*?<\/form><\/td>\n<\/tr>/.exec(html)![0];
  const text = row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  expect(text).toContain('shadow at 20%');
  expect(text).toContain('sticky: userId');
  expect(text).toContain('half-open');
  expect(text).toContain('shadow 8 3 error 2 · ok 6 25.0% ≤ 50 ms ≤ 250 ms');
  expect(text).toContain('12.5%');
  expect(html).toContain('every <strong>1.5 s</strong>');
  expect(html).toContain('web-1:42');
  expect(row).toContain('<option value="shadow" selected>');
  expect(row).toContain('name="rollout" min="0" max="100" step="1" value="20"');
});

it('shows the last mismatches with both answers escaped', async () => {
  const html = (await request(app()).get('/admin').expect(200)).text;
  expect(html).toContain('<code>current</code>: <code>&lt;script&gt;x&lt;/script&gt;</code> ≠ <code>12°C</code>');
  expect(html).not.toContain('<script>x');
});

it('when the audit log is away, a move is still made and said, and the line that keeps its entry is logged', async () => {
  const written: Array<[string, number]> = [];
  const lines: string[] = [];
  const logger = createLogger({ level: 'error', destination: { write: (line: string) => void lines.push(line) } });
  const res = await request(
    express()
      .use(express.urlencoded({ extended: false }))
      .use(
        app({
          flags: { list: () => Promise.resolve([]), setRollout: async (name: string, rollout: number) => {
              written.push([name, rollout]);
              return { name, enabled: rollout > 0, rollout, stickiness: 'default' as const };
            },
          },
          audit: { record: () => Promise.reject(new Error('database away')), list: () => Promise.resolve([]) },
          logger,
        }),
      ),
  )
    .post('/admin/modules/weather/placement')
    .type('form')
    .send({ placement: 'remote', rollout: '100' });
  expect(res.status).toBe(303);
  expect(written).toEqual([
    ['weather-shadow', 0],
    ['weather-remote', 100],
  ]);
  const logged = JSON.parse(lines.join('')) as { msg: string; entry: { target: string; after: unknown } };
  expect(logged).toMatchObject({ msg: 'module placement changed but not written to the audit log', entry: { target: 'weather', after: { placement: 'remote', rollout: 100 } } });
});
