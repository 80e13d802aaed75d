import { randomBytes } from 'node:crypto';
import { createUsersService, type UserRef, type UsersService } from '../../src/modules/users';
import { createLogger } from '../../src/platform/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** What only the PostgreSQL implementation can show: rows, constraints, timestamps, the schema. */
const slackId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
const newRef = (): UserRef => ({ teamId: slackId('T'), userId: slackId('U') });

let db: TestDatabase;
let users: UsersService;

beforeAll(async () => {
  db = await createTestDatabase();
  users = createUsersService({ dataSource: db.dataSource, logger: createLogger({ level: 'silent' }) });
});
afterAll(async () => {
  await db?.drop();
});

async function rowCount(ref: UserRef): Promise<number> {
  const [row] = (await db.dataSource.query('SELECT count(*)::int AS n FROM users_profiles WHERE team_id = $1 AND user_id = $2', [ref.teamId, ref.userId])) as Array<{ n: number }>;
  return row!.n;
}

describe('users service on PostgreSQL', () => {
  it('when twenty calls race to create a member on separate connections, then exactly one row exists', async () => {
    const ref = newRef();
    await Promise.all(Array.from({ length: 20 }, () => users.getOrCreate(ref)));
    expect(await rowCount(ref)).toBe(1);
  });

  it('when setLocation and setSetting race to create a member, then one row holds both', async () => {
    const ref = newRef();
    await Promise.all([
      users.setLocation(ref, { name: 'Paris', latitude: 48.85, longitude: 2.35, timezone: 'Europe/Paris' }),
      users.setSetting(ref, 'units', 'metric'),
      users.getOrCreate(ref),
    ]);
    expect(await rowCount(ref)).toBe(1);
    expect(await users.get(ref)).toMatchObject({ location: { name: 'Paris' }, settings: { units: 'metric' } });
  });

  it('a change moves updatedAt forward and leaves createdAt as it was', async () => {
    const ref = newRef();
    await users.getOrCreate(ref);
    await db.dataSource.query(
      "UPDATE users_profiles SET created_at = now() - interval '1 hour', updated_at = now() - interval '1 hour' WHERE team_id = $1 AND user_id = $2",
      [ref.teamId, ref.userId],
    );
    const before = await users.get(ref);
    const after = await users.setSetting(ref, 'units', 'imperial');
    expect(after.createdAt).toBe(before.createdAt);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
  });

  it('the table refuses half a location', async () => {
    const ref = newRef();
    await users.getOrCreate(ref);
    await expect(
      db.dataSource.query("UPDATE users_profiles SET location_name = 'Paris' WHERE team_id = $1 AND user_id = $2", [ref.teamId, ref.userId]),
    ).rejects.toThrow(/users_profiles_location_complete/);
  });

  it('the entity matches the migrated table: TypeORM would change nothing in users_profiles', async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    const ours = sql.upQueries.map((q) => q.query).filter((q) => q.includes('users_profiles'));
    expect(ours).toEqual([]);
  });
});
