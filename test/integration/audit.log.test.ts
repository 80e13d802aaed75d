import { createAuditLog } from '../../src/modules/audit';
import { AUDIT_MAX_LIMIT } from '../../src/modules/audit/audit.log';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The audit log over PostgreSQL: rows added, read newest first, per workspace, bounded. */

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(() => db.dataSource.query('DELETE FROM admin_audit_log'));

it('when entries are recorded, then they are listed newest first with before and after as they were', async () => {
  const audit = createAuditLog({ dataSource: db.dataSource });
  await audit.record({ actor: 'T0A/U0OP', teamId: null, action: 'placement', target: 'weather', before: { placement: 'local', rollout: 0 }, after: { placement: 'remote', rollout: 50 } });
  await audit.record({ actor: 'T0A/U0OP', teamId: 'T0A', action: 'promote', target: 'T0A/U0BOB', before: ['member'], after: ['member', 'admin'] });

  const entries = await audit.list();
  expect(entries.map((e) => e.action)).toEqual(['promote', 'placement']);
  expect(entries[1]).toMatchObject({ actor: 'T0A/U0OP', teamId: null, target: 'weather', before: { placement: 'local', rollout: 0 }, after: { placement: 'remote', rollout: 50 } });
  expect(entries[0]!.before).toEqual(['member']);
  expect(new Date(entries[0]!.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
  expect(entries[0]!.id).toMatch(/^\d+$/);
});

it('when asked for one workspace, then only its entries', async () => {
  const audit = createAuditLog({ dataSource: db.dataSource });
  await audit.record({ actor: 'T0A/U0OP', teamId: 'T0A', action: 'dead-letter-retry', target: '1', before: null, after: null });
  await audit.record({ actor: 'T0B/U0ADM', teamId: 'T0B', action: 'dead-letter-discard', target: '2', before: null, after: null });
  expect((await audit.list({ teamId: 'T0B' })).map((e) => e.target)).toEqual(['2']);
});

it('when before or after is missing, then it reads back as null', async () => {
  const audit = createAuditLog({ dataSource: db.dataSource });
  await audit.record({ actor: 'service:ops', teamId: null, action: 'placement', target: 'users', before: undefined, after: { placement: 'shadow', rollout: 10 } });
  expect((await audit.list())[0]).toMatchObject({ actor: 'service:ops', before: null, after: { placement: 'shadow', rollout: 10 } });
});

it('when a limit is given, then at most that many and never more than the bound', async () => {
  const audit = createAuditLog({ dataSource: db.dataSource });
  await db.dataSource.query(
    `INSERT INTO admin_audit_log (actor, team_id, action, target) SELECT 'T0A/U0OP', NULL, 'placement', 'm' || g FROM generate_series(1, ${AUDIT_MAX_LIMIT + 5}) g`,
  );
  expect(await audit.list({ limit: 3 })).toHaveLength(3);
  expect((await audit.list({ limit: 3 }))[0]!.target).toBe(`m${AUDIT_MAX_LIMIT + 5}`);
  expect(await audit.list({ limit: 10_000 })).toHaveLength(AUDIT_MAX_LIMIT);
  expect(await audit.list({ limit: 0 })).toHaveLength(1);
});
