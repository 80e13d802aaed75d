import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/platform/app';
import { createUsersService, usersRouter, type UsersService } from '../../src/modules/users';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The HTTP adapter's own promises: status codes, error bodies, ETag and If-None-Match. */
const slackId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
const newPath = () => `/api/users/${slackId('T')}/${slackId('U')}`;
const paris = { name: 'Paris', latitude: 48.8534, longitude: 2.3488, timezone: 'Europe/Paris' };

let db: TestDatabase;
let users: UsersService;
let app: Express;

beforeAll(async () => {
  db = await createTestDatabase();
  const logger = createLogger({ level: 'silent' });
  users = createUsersService({ dataSource: db.dataSource, logger });
  app = createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: '/api/users', router: usersRouter({ users }) }] });
});
afterAll(async () => {
  await db?.drop();
});

/** A member with a setting, so that every read below has something to show. */
async function member(): Promise<string> {
  const path = newPath();
  await request(app).put(`${path}/settings/units`).send({ value: 'metric' }).expect(200);
  return path;
}

describe('users HTTP adapter', () => {
  describe('ETag and If-None-Match', () => {
    const reads: Array<[string, (path: string) => string]> = [
      ['a profile', (path) => path],
      ['the settings', (path) => `${path}/settings`],
      ['one setting', (path) => `${path}/settings/units`],
      ['the list', () => '/api/users?limit=5'],
    ];

    it.each(reads)('GET %s sends a weak ETag and asks caches to revalidate', async (_what, url) => {
      const response = await request(app).get(url(await member())).expect(200);
      expect(response.headers.etag).toMatch(/^W\/"[\w-]+"$/);
      expect(response.headers['cache-control']).toBe('private, no-cache');
    });

    it.each(reads)('GET %s with a matching If-None-Match answers 304 with no body', async (_what, url) => {
      const target = url(await member());
      const { headers } = await request(app).get(target).expect(200);
      const response = await request(app).get(target).set('If-None-Match', headers.etag!).expect(304);
      expect(response.text).toBeFalsy();
      expect(response.headers.etag).toBe(headers.etag);
    });

    it('matches a tag in a list, the strong form of the same tag, and *', async () => {
      const path = await member();
      const { headers } = await request(app).get(path).expect(200);
      const opaque = headers.etag!.replace(/^W\//, '');
      await request(app).get(path).set('If-None-Match', `W/"other", ${headers.etag}`).expect(304);
      await request(app).get(path).set('If-None-Match', opaque).expect(304);
      await request(app).get(path).set('If-None-Match', '*').expect(304);
    });

    it('when the profile changed, then the old ETag gets 200 with the new body and a new ETag', async () => {
      const path = await member();
      const first = await request(app).get(path).expect(200);
      await request(app).put(`${path}/location`).send(paris).expect(200);
      const second = await request(app).get(path).set('If-None-Match', first.headers.etag!).expect(200);
      expect(second.headers.etag).not.toBe(first.headers.etag);
      expect(second.body.location).toEqual(paris);
    });
  });

  describe('routes', () => {
    it('PUT with no body creates the member; GET then finds it', async () => {
      const path = newPath();
      const created = await request(app).put(path).expect(200);
      expect(created.body).toMatchObject({ displayName: null, settings: {}, isAdmin: false });
      expect((await request(app).get(path).expect(200)).body).toEqual(created.body);
    });

    it('GET one setting answers {key, value} with the key as stored, null when unset', async () => {
      const path = await member();
      expect((await request(app).get(`${path}/settings/UNITS`).expect(200)).body).toEqual({ key: 'units', value: 'metric' });
      expect((await request(app).get(`${path}/settings/name`).expect(200)).body).toEqual({ key: 'name', value: null });
    });

    it('DELETE a setting answers whether it was set', async () => {
      const path = await member();
      expect((await request(app).delete(`${path}/settings/units`).expect(200)).body).toEqual({ key: 'units', removed: true });
      expect((await request(app).delete(`${path}/settings/units`).expect(200)).body).toEqual({ key: 'units', removed: false });
    });
  });

  describe('errors', () => {
    it('an unknown member is 404 with the contract error body', async () => {
      const response = await request(app).get(newPath()).expect(404);
      expect(response.body).toEqual({ error: { code: 'USERS.NOT_FOUND', message: expect.stringMatching(/^No user U/) } });
    });

    it('an unknown route under /api/users is 404 HTTP.NOT_FOUND', async () => {
      const response = await request(app).get(`${newPath()}/nothing-here`).expect(404);
      expect(response.body.error.code).toBe('HTTP.NOT_FOUND');
    });

    type BadRequest = [what: string, code: string, method: 'get' | 'put', url: () => string, body: object | undefined];
    const badRequests: BadRequest[] = [
      ['a malformed team id in the path', 'HTTP.VALIDATION', 'get', () => '/api/users/team1/U0123ABCD', undefined],
      ['a malformed user id in the path', 'HTTP.VALIDATION', 'put', () => '/api/users/T0123ABCD/B0123ABCD', {}],
      ['an unknown field in the create body', 'HTTP.VALIDATION', 'put', newPath, { display_name: 'Bertie' }],
      ['a latitude sent as text', 'HTTP.VALIDATION', 'put', () => `${newPath()}/location`, { ...paris, latitude: '48.85' }],
      ['a location with no body', 'HTTP.VALIDATION', 'put', () => `${newPath()}/location`, undefined],
      ['a setting with no value', 'HTTP.VALIDATION', 'put', () => `${newPath()}/settings/units`, {}],
      ['a setting value that is a number', 'HTTP.VALIDATION', 'put', () => `${newPath()}/settings/units`, { value: 5 }],
      ['an unknown setting', 'USERS.UNKNOWN_SETTING', 'put', () => `${newPath()}/settings/colour`, { value: 'blue' }],
      ['a bad setting value', 'USERS.INVALID_SETTING', 'put', () => `${newPath()}/settings/units`, { value: 'kelvin' }],
      ['a limit of 0', 'HTTP.VALIDATION', 'get', () => '/api/users?limit=0', undefined],
      ['a limit that is not a number', 'HTTP.VALIDATION', 'get', () => '/api/users?limit=ten', undefined],
      ['a forged cursor', 'HTTP.VALIDATION', 'get', () => '/api/users?cursor=forged', undefined],
    ];
    it.each(badRequests)('%s is 400 with code %s', async (_case, code, method, url, body) => {
      const response = await request(app)[method](url()).send(body);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code, message: expect.any(String) });
    });

    it('malformed JSON is 400 HTTP.MALFORMED_JSON and changes nothing', async () => {
      const path = await member();
      const response = await request(app).put(`${path}/settings/units`).set('Content-Type', 'application/json').send('{"value": "imperial"');
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('HTTP.MALFORMED_JSON');
      expect((await request(app).get(`${path}/settings/units`)).body.value).toBe('metric');
    });
  });
});
