import { randomBytes } from 'node:crypto';
import { createFakeUsersService, createUsersHttpClient, type UserRef, type UsersService } from '../../src/modules/users';
import { usersInProcess, usersOverHttp, type UsersSubject } from '../support/users-stacks';
import { usersService } from '../../extracted/users/main';
import { startExtracted } from './extracted.support';

/**
 * The UsersService contract, written once and run against every implementation: the
 * in-process service on PostgreSQL, the HTTP client over the real adapter, and the fake.
 * An extracted users service (issue 3) joins by adding one entry to `implementations`.
 */
type Subject = UsersSubject;

const implementations: Array<[string, () => Promise<Subject>]> = [
  ['in-process service on PostgreSQL', usersInProcess],
  ['HTTP client against the users adapter', usersOverHttp],
  ['in-memory fake', async () => ({ users: createFakeUsersService(), close: async () => undefined })],
  [
    'remote: extracted service (HTTP client with a service token; answers checked against /openapi.json)',
    async () => {
      const stack = await startExtracted(usersService);
      return { users: createUsersHttpClient({ baseUrl: `${stack.checkedUrl}`, headers: stack.headers }), close: stack.close };
    },
  ],
];

const slackId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
const newRef = (): UserRef => ({ teamId: slackId('T'), userId: slackId('U') });
const paris = { name: 'Paris', latitude: 48.8534, longitude: 2.3488, timezone: 'Europe/Paris' };

/** The error a promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<{ code?: string; status?: number; message?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; status?: number; message?: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe.each(implementations)('UsersService conformance: %s', (_name, start) => {
  let subject: Subject;
  let users: UsersService;

  beforeAll(async () => {
    subject = await start();
    users = subject.users;
  });
  afterAll(async () => {
    await subject?.close();
  });

  describe('getOrCreate', () => {
    it('when the member is new, then a profile with defaults and the given display name is created', async () => {
      const ref = newRef();
      const profile = await users.getOrCreate(ref, { displayName: 'Bertie' });
      expect(profile).toEqual({
        ...ref,
        displayName: 'Bertie',
        location: null,
        settings: {},
        isAdmin: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(Date.parse(profile.createdAt)).not.toBeNaN();
    });

    it('when the member exists, then the same profile comes back and init is ignored', async () => {
      const ref = newRef();
      const first = await users.getOrCreate(ref, { displayName: 'Bertie' });
      const second = await users.getOrCreate(ref, { displayName: 'Someone else' });
      expect(second).toEqual(first);
    });

    it('when twenty calls race for a new member, then all succeed with one and the same profile', async () => {
      const ref = newRef();
      const profiles = await Promise.all(Array.from({ length: 20 }, (_, i) => users.getOrCreate(ref, { displayName: `caller ${i}` })));
      expect(new Set(profiles.map((p) => JSON.stringify(p))).size).toBe(1);
    });

    it('when the display name is blank, then the profile has none; when very long, it is cut to 100 characters', async () => {
      const blank = await users.getOrCreate(newRef(), { displayName: '   ' });
      const long = await users.getOrCreate(newRef(), { displayName: 'é'.repeat(150) });
      expect(blank.displayName).toBeNull();
      expect(long.displayName).toBe('é'.repeat(100));
    });
  });

  describe('get', () => {
    it('when the member is unknown, then USERS.NOT_FOUND (404)', async () => {
      expect(await rejection(users.get(newRef()))).toMatchObject({ code: 'USERS.NOT_FOUND', status: 404 });
    });

    it('returns the profile getOrCreate made', async () => {
      const ref = newRef();
      const created = await users.getOrCreate(ref, { displayName: 'Bertie' });
      expect(await users.get(ref)).toEqual(created);
    });

    it('returns plain data that survives a JSON round trip unchanged', async () => {
      const ref = newRef();
      await users.setLocation(ref, paris);
      const profile = await users.get(ref);
      expect(JSON.parse(JSON.stringify(profile))).toEqual(profile);
    });

    it.each([
      ['an empty team id', { teamId: '', userId: 'U0123ABCD' }, 'teamId'],
      ['a user id as team id', { teamId: 'U0123ABCD', userId: 'U0123ABCD' }, 'teamId'],
      ['a lower-case team id', { teamId: 't0123abcd', userId: 'U0123ABCD' }, 'teamId'],
      ['a team id with a slash', { teamId: 'T01/23', userId: 'U0123ABCD' }, 'teamId'],
      ['a bot id as user id', { teamId: 'T0123ABCD', userId: 'B0123ABCD' }, 'userId'],
      ['a team id as user id', { teamId: 'T0123ABCD', userId: 'T0123ABCD' }, 'userId'],
    ])('when given %s, then HTTP.VALIDATION (400) naming the field', async (_case, ref, field) => {
      const error = await rejection(users.get(ref));
      expect(error).toMatchObject({ code: 'HTTP.VALIDATION', status: 400 });
      expect(error.message).toContain(field);
    });

    it('accepts enterprise user ids (W...)', async () => {
      const ref = { teamId: slackId('T'), userId: slackId('W') };
      await users.getOrCreate(ref);
      expect((await users.get(ref)).userId).toBe(ref.userId);
    });
  });

  describe('setLocation', () => {
    it('stores the location; get returns it', async () => {
      const ref = newRef();
      await users.getOrCreate(ref);
      const updated = await users.setLocation(ref, paris);
      expect(updated.location).toEqual(paris);
      expect((await users.get(ref)).location).toEqual(paris);
    });

    it('when the member is unknown, then the profile is created with the location', async () => {
      const ref = newRef();
      await users.setLocation(ref, paris);
      expect(await users.get(ref)).toMatchObject({ ...ref, location: paris, displayName: null });
    });

    it('replaces an earlier location and corrects the time zone’s letter case', async () => {
      const ref = newRef();
      await users.setLocation(ref, paris);
      const tokyo = await users.setLocation(ref, { name: 'Tokyo', latitude: 35.6895, longitude: 139.6917, timezone: 'asia/tokyo' });
      expect(tokyo.location).toEqual({ name: 'Tokyo', latitude: 35.6895, longitude: 139.6917, timezone: 'Asia/Tokyo' });
    });

    it.each([
      ['a latitude above 90', { ...paris, latitude: 90.5 }, 'latitude'],
      ['a latitude below -90', { ...paris, latitude: -91 }, 'latitude'],
      ['a longitude beyond 180', { ...paris, longitude: 180.01 }, 'longitude'],
      ['an unknown time zone', { ...paris, timezone: 'Mars/Olympus' }, 'timezone'],
      ['an offset instead of a zone', { ...paris, timezone: '+01:00' }, 'timezone'],
      ['an empty name', { ...paris, name: ' ' }, 'name'],
    ])('when given %s, then HTTP.VALIDATION (400) and nothing is stored', async (_case, location, field) => {
      const ref = newRef();
      const error = await rejection(users.setLocation(ref, location));
      expect(error).toMatchObject({ code: 'HTTP.VALIDATION', status: 400 });
      expect(error.message).toContain(field);
      expect(await rejection(users.get(ref))).toMatchObject({ code: 'USERS.NOT_FOUND' });
    });
  });

  describe('settings', () => {
    it('when a known setting is set, then the profile, getSetting and listSettings all show it', async () => {
      const ref = newRef();
      const profile = await users.setSetting(ref, 'units', 'imperial');
      expect(profile.settings).toEqual({ units: 'imperial' });
      expect(await users.getSetting(ref, 'units')).toBe('imperial');
      expect(await users.listSettings(ref)).toEqual({ units: 'imperial' });
    });

    it('matches keys without regard to case and stores values normalised', async () => {
      const ref = newRef();
      await users.setSetting(ref, 'UNITS', ' Imperial ');
      await users.setSetting(ref, 'TimeZone', 'europe/paris');
      expect(await users.listSettings(ref)).toEqual({ units: 'imperial', timezone: 'Europe/Paris' });
      expect(await users.getSetting(ref, 'Units')).toBe('imperial');
    });

    it('setting one key keeps the others and replaces its own', async () => {
      const ref = newRef();
      await users.setSetting(ref, 'units', 'metric');
      await users.setSetting(ref, 'name', 'Bertie');
      await users.setSetting(ref, 'units', 'imperial');
      expect(await users.listSettings(ref)).toEqual({ units: 'imperial', name: 'Bertie' });
    });

    it('when different keys are set concurrently, then every one survives', async () => {
      const ref = newRef();
      await users.getOrCreate(ref);
      await Promise.all([
        users.setSetting(ref, 'units', 'metric'),
        users.setSetting(ref, 'name', 'Bertie'),
        users.setSetting(ref, 'timezone', 'UTC'),
      ]);
      expect(await users.listSettings(ref)).toEqual({ units: 'metric', name: 'Bertie', timezone: 'UTC' });
    });

    it.each([
      ['setSetting', (u: UsersService, ref: UserRef) => u.setSetting(ref, 'colour', 'blue')],
      ['getSetting', (u: UsersService, ref: UserRef) => u.getSetting(ref, 'colour')],
      ['unsetSetting', (u: UsersService, ref: UserRef) => u.unsetSetting(ref, 'colour')],
    ])('when %s is given an unknown key, then USERS.UNKNOWN_SETTING (400) listing the known keys', async (_method, act) => {
      const error = await rejection(act(users, newRef()));
      expect(error).toMatchObject({ code: 'USERS.UNKNOWN_SETTING', status: 400 });
      expect(error.message).toEqual(expect.stringMatching(/units.*timezone.*name/));
    });

    it.each(['', '.', '..', 'units/..', '../units', ' '])('when the key is %j, then USERS.UNKNOWN_SETTING and nothing else is touched', async (key) => {
      const ref = newRef();
      await users.setSetting(ref, 'units', 'metric');
      expect(await rejection(users.getSetting(ref, key))).toMatchObject({ code: 'USERS.UNKNOWN_SETTING', status: 400 });
      expect(await rejection(users.setSetting(ref, key, 'metric'))).toMatchObject({ code: 'USERS.UNKNOWN_SETTING' });
      expect(await users.listSettings(ref)).toEqual({ units: 'metric' });
    });

    it.each([
      ['units', 'kelvin', 'metric or imperial'],
      ['timezone', 'Nowhere/Land', 'IANA time zone'],
      ['name', '   ', '1 to 50 characters'],
      ['name', 'x'.repeat(51), '1 to 50 characters'],
    ])('when %s is set to %j, then USERS.INVALID_SETTING (400) saying what is allowed', async (key, value, allowed) => {
      const ref = newRef();
      const error = await rejection(users.setSetting(ref, key, value));
      expect(error).toMatchObject({ code: 'USERS.INVALID_SETTING', status: 400 });
      expect(error.message).toContain(allowed);
      expect(await users.listSettings(ref)).toEqual({});
    });

    it('a setting never set reads as null', async () => {
      const ref = newRef();
      await users.setSetting(ref, 'units', 'metric');
      expect(await users.getSetting(ref, 'timezone')).toBeNull();
    });

    it('for a member never seen, reads are empty, unset is false, and no profile is created', async () => {
      const ref = newRef();
      expect(await users.getSetting(ref, 'units')).toBeNull();
      expect(await users.listSettings(ref)).toEqual({});
      expect(await users.unsetSetting(ref, 'units')).toBe(false);
      expect(await rejection(users.get(ref))).toMatchObject({ code: 'USERS.NOT_FOUND' });
    });

    it('when a member never seen sets a setting, then the profile is created with it', async () => {
      const ref = newRef();
      await users.setSetting(ref, 'name', 'Bertie');
      expect(await users.get(ref)).toMatchObject({ ...ref, settings: { name: 'Bertie' } });
    });

    it('unsetSetting removes the setting and says it did; a second unset says it was not set', async () => {
      const ref = newRef();
      await users.setSetting(ref, 'units', 'metric');
      await users.setSetting(ref, 'name', 'Bertie');
      expect(await users.unsetSetting(ref, 'UNITS')).toBe(true);
      expect(await users.unsetSetting(ref, 'units')).toBe(false);
      expect(await users.listSettings(ref)).toEqual({ name: 'Bertie' });
      expect((await users.get(ref)).settings).toEqual({ name: 'Bertie' });
    });
  });

  describe('unsetLocation', () => {
    it('removes the saved location and keeps the settings; a second unset, or a member never seen, says there was none', async () => {
      const ref = newRef();
      await users.setLocation(ref, paris);
      await users.setSetting(ref, 'units', 'imperial');
      expect(await users.unsetLocation(ref)).toBe(true);
      expect(await users.get(ref)).toEqual(expect.objectContaining({ location: null, settings: { units: 'imperial' } }));
      expect(await users.unsetLocation(ref)).toBe(false);
      expect(await users.unsetLocation(newRef())).toBe(false);
    });
  });

  describe('forget', () => {
    it('deletes the profile with its location and settings, leaves other members alone, and a second forget says there was nothing', async () => {
      const ref = newRef();
      const neighbour = { teamId: ref.teamId, userId: slackId('U') };
      await users.setLocation(ref, paris);
      await users.setSetting(ref, 'units', 'imperial');
      await users.getOrCreate(neighbour);
      expect(await users.forget(ref)).toBe(true);
      expect((await rejection(users.get(ref))).code).toBe('USERS.NOT_FOUND');
      expect(await users.listSettings(ref)).toEqual({});
      expect(await users.forget(ref)).toBe(false);
      expect((await users.get(neighbour)).userId).toBe(neighbour.userId);
    });

    it('when the id is malformed, then HTTP.VALIDATION (400)', async () => {
      expect(await rejection(users.forget({ teamId: 'not a team', userId: 'U1' }))).toMatchObject({ code: 'HTTP.VALIDATION', status: 400 });
    });
  });

  describe('list', () => {
    it('pages through 250 members: each exactly once, in (createdAt, id) order, pages no longer than asked', async () => {
      const created = new Set<string>();
      for (let batch = 0; batch < 10; batch += 1) {
        const refs = Array.from({ length: 25 }, newRef);
        await Promise.all(refs.map((ref) => users.getOrCreate(ref)));
        for (const ref of refs) created.add(`${ref.teamId}/${ref.userId}`);
      }

      const seen: string[] = [];
      const createdAts: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await users.list({ limit: 100, cursor });
        expect(page.items.length).toBeLessThanOrEqual(100);
        if (page.nextCursor !== null) expect(page.items).toHaveLength(100);
        seen.push(...page.items.map((p) => `${p.teamId}/${p.userId}`));
        createdAts.push(...page.items.map((p) => p.createdAt));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 100);

      expect(cursor).toBeNull();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((key) => created.has(key))).toHaveLength(250);
      expect([...createdAts].sort()).toEqual(createdAts);
    });

    it('without a limit, answers at most 50 with a cursor to the rest', async () => {
      await Promise.all(Array.from({ length: 51 }, () => users.getOrCreate(newRef())));
      const page = await users.list();
      expect(page.items).toHaveLength(50);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it("with teamId, then that workspace's members only; with q, those whose name or user id contains it, any case", async () => {
      const teamId = slackId('T');
      const [dave, erin, other] = [{ teamId, userId: slackId('U') }, { teamId, userId: slackId('U') }, newRef()];
      await users.getOrCreate(dave, { displayName: 'Dave 100%_sure' });
      await users.getOrCreate(erin, { displayName: 'Erin' });
      await users.getOrCreate(other, { displayName: 'Dave elsewhere' });
      const keys = (page: { items: UserRef[] }) => page.items.map((p) => p.userId);
      // Created in the same millisecond, two profiles are ordered by their random ids.
      expect(keys(await users.list({ teamId })).sort()).toEqual([dave.userId, erin.userId].sort());
      expect(keys(await users.list({ teamId, q: 'dAVE' }))).toEqual([dave.userId]);
      expect(keys(await users.list({ teamId, q: erin.userId.toLowerCase() }))).toEqual([erin.userId]);
      // LIKE's wildcards match themselves.
      expect(keys(await users.list({ teamId, q: '%_s' }))).toEqual([dave.userId]);
      expect(keys(await users.list({ teamId, q: 'e_i' }))).toEqual([]);
      const first = await users.list({ teamId, limit: 1 });
      const second = await users.list({ teamId, limit: 1, cursor: first.nextCursor });
      expect([...keys(first), ...keys(second)].sort()).toEqual([dave.userId, erin.userId].sort());
      expect(second.nextCursor).toBeNull();
    });

    it('when teamId is not a Slack team id, then HTTP.VALIDATION (400)', async () => {
      expect(await rejection(users.list({ teamId: 'nope' }))).toMatchObject({ code: 'HTTP.VALIDATION', status: 400 });
    });

    it.each([0, 101, 1.5, -1])('when the limit is %p, then HTTP.VALIDATION (400)', async (limit) => {
      expect(await rejection(users.list({ limit }))).toMatchObject({ code: 'HTTP.VALIDATION', status: 400 });
    });

    it.each([
      ['garbage', 'not a cursor'],
      ['another JSON shape', Buffer.from('{"at":1}').toString('base64url')],
      ['a bad id', Buffer.from('["2024-01-01T00:00:00.000Z","x"]').toString('base64url')],
    ])('when the cursor is %s, then HTTP.VALIDATION (400)', async (_case, cursor) => {
      expect(await rejection(users.list({ cursor }))).toMatchObject({ code: 'HTTP.VALIDATION', status: 400 });
    });
  });
});
