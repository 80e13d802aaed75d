import { writeFileSync } from 'node:fs';
import express from 'express';
import request from 'supertest';
import { modulesPanelSchema } from '../../src/modules/dashboard';
import { weatherRouter, WEATHER_API_PATH, type WeatherService } from '../../src/modules/weather';
import { ADMIN_CLIENT_ID } from '../../src/monolith/wire-switched-modules';
import { listen, type ListeningServer } from '../../src/platform/server';
import { ADMIN_AUDIENCE } from '../../src/platform/service-auth';
import { eventually, startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';
import { clientTokenFor } from '../support/service-tokens';

/** With weather shadowed to a service that answers otherwise, the modules panel shows the mismatches, redacted. */

jest.setTimeout(60_000);

const ADMIN_SECRET = 'the-operators-admin-client-secret-of-40-chars';
const LONG_NAME = 'Paris, the one in Texas, not the one in France';

// The extracted weather service's real router over a service that disagrees on every place.
const disagreeing: WeatherService = {
  geocode: async () => ({ name: LONG_NAME, country: 'US', admin1: 'Texas', latitude: 33.66, longitude: -95.55, timezone: 'America/Chicago' }),
  current: () => Promise.reject(new Error('not used')),
  currentFor: () => Promise.reject(new Error('not used')),
};

let remote: ListeningServer;
let h: JeevesHarness;

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.use(WEATHER_API_PATH, weatherRouter({ weather: disagreeing }));
  remote = await listen(app, 0, '127.0.0.1');
  h = await startJeevesHarness({ ADMIN_CLIENT_SECRET: ADMIN_SECRET, WEATHER_SERVICE_URL: `http://127.0.0.1:${remote.port}`, FLAGS_REFRESH_MS: '100' });
});

afterAll(async () => {
  await h?.close();
  await remote?.close();
});

it('a shadowed call whose answers differ shows in recentMismatches with both answers cut short, and in the rate', async () => {
  writeFileSync(h.infra.config.FLAGS_FILE!, JSON.stringify({ flags: { 'weather-shadow': { enabled: true, rollout: 100 } } }));
  const token = await clientTokenFor(h.jeeves.app, ADMIN_CLIENT_ID, ADMIN_SECRET, ADMIN_AUDIENCE);
  const panel = async () => modulesPanelSchema.parse((await request(h.jeeves.app).get('/api/admin/modules').set('authorization', `Bearer ${token}`).expect(200)).body);
  await eventually(panel, (p) => p.modules.find((m) => m.module === 'weather')?.placement === 'shadow');

  const local = await h.jeeves.weather.geocode('Paris');
  const row = await eventually(
    async () => (await panel()).modules.find((m) => m.module === 'weather')!,
    (r) => r.recentMismatches.length > 0,
  );
  const [mismatch] = row.recentMismatches;
  expect(mismatch).toMatchObject({ method: 'geocode' });
  expect(mismatch!.local).toContain(JSON.stringify(local.name));
  expect(mismatch!.remote).toContain('"name":"Paris, the one in Texas,…"');
  expect(mismatch!.remote).not.toContain(LONG_NAME);
  expect(row.shadowMismatchRate).toBe(1);
});
