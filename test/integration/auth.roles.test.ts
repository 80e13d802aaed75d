import { createRoles, type Roles } from '../../src/modules/auth';
import { FIRST_OPERATOR_LOCK } from '../../src/modules/auth/auth.roles';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** Who holds which role, on a real PostgreSQL: installs, grants, revokes, and the first operator. */

let db: TestDatabase;
let roles: Roles;
beforeAll(async () => {
  db = await createTestDatabase();
  roles = createRoles(db.dataSource);
});
beforeEach(() => db.dataSource.query('DELETE FROM auth_role_grants'));
afterAll(() => db?.drop());

describe('onInstalled', () => {
  it("when the first workspace is installed, then its installer is that workspace's admin and the deployment's first operator", async () => {
    await expect(roles.onInstalled({ teamId: 'T0FIRST', installerUserId: 'U0ONE' })).resolves.toEqual({ operator: true });
    expect(await roles.rolesOf('T0FIRST', 'U0ONE')).toEqual(['admin', 'operator']);
    expect(await roles.operators()).toEqual([expect.objectContaining({ teamId: 'T0FIRST', userId: 'U0ONE', role: 'operator', grantedBy: 'install', grantedAt: expect.any(Date) })]);
  });

  it("when a second workspace is installed, then its installer is only that workspace's admin", async () => {
    await roles.onInstalled({ teamId: 'T0FIRST', installerUserId: 'U0ONE' });
    await expect(roles.onInstalled({ teamId: 'T0SECOND', installerUserId: 'U0TWO' })).resolves.toEqual({ operator: false });
    expect(await roles.rolesOf('T0SECOND', 'U0TWO')).toEqual(['admin']);
    expect(await roles.admins('T0SECOND')).toEqual([expect.objectContaining({ teamId: 'T0SECOND', userId: 'U0TWO', role: 'admin', grantedBy: 'install' })]);
  });

  it('when several first installs land at the same moment, then exactly one installer becomes operator', async () => {
    const installs = ['T0A', 'T0B', 'T0C', 'T0D', 'T0E', 'T0F'].map((teamId) => roles.onInstalled({ teamId, installerUserId: 'U0INSTALLER' }));
    const results = await Promise.all(installs);
    expect(results.filter((r) => r.operator)).toHaveLength(1);
    expect(await roles.operators()).toHaveLength(1);
    for (const teamId of ['T0A', 'T0B', 'T0C', 'T0D', 'T0E', 'T0F']) expect(await roles.rolesOf(teamId, 'U0INSTALLER')).toContain('admin');
  });

  it('when two first installs meet, then the second waits for the first to commit and is only admin', async () => {
    // Hold the lock, so both installs are seen queueing on it before either may look for an operator.
    const holder = db.dataSource.createQueryRunner();
    await holder.startTransaction();
    await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', [FIRST_OPERATOR_LOCK]);
    const installs = [roles.onInstalled({ teamId: 'T0A', installerUserId: 'U0A' }), roles.onInstalled({ teamId: 'T0B', installerUserId: 'U0B' })];
    const waiting = async () =>
      Number(
        ((await db.dataSource.query(
          `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )) as Array<{ n: string }>)[0]!.n,
      );
    for (const deadline = Date.now() + 10_000; (await waiting()) < 2; ) {
      if (Date.now() > deadline) throw new Error('the installs never queued on the first-operator lock');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.commitTransaction();
    await holder.release();
    const results = await Promise.all(installs);
    expect(results.map((r) => r.operator).sort()).toEqual([false, true]);
    expect(await roles.operators()).toHaveLength(1);
  });

  it('when an operator was named before any install (npm run admin), then the first installer is only admin', async () => {
    await roles.grant({ teamId: 'T0SHORTCUT', userId: 'U0MAINTAINER', role: 'operator', grantedBy: 'command' });
    await expect(roles.onInstalled({ teamId: 'T0FIRST', installerUserId: 'U0ONE' })).resolves.toEqual({ operator: false });
  });

  it('when a workspace is installed again by its installer, then nothing doubles', async () => {
    await roles.onInstalled({ teamId: 'T0FIRST', installerUserId: 'U0ONE' });
    await roles.onInstalled({ teamId: 'T0FIRST', installerUserId: 'U0ONE' });
    expect(await roles.admins('T0FIRST')).toHaveLength(1);
    expect(await roles.operators()).toHaveLength(1);
  });
});

describe('grant, revoke, rolesOf, admins', () => {
  it('when an admin promotes a member, then the member is admin, and the grant says who granted it', async () => {
    await expect(roles.grant({ teamId: 'T0A', userId: 'U0NEW', role: 'admin', grantedBy: { teamId: 'T0A', userId: 'U0BOSS' } })).resolves.toBe(true);
    await expect(roles.grant({ teamId: 'T0A', userId: 'U0NEW', role: 'admin', grantedBy: { teamId: 'T0A', userId: 'U0OTHER' } })).resolves.toBe(false);
    expect(await roles.admins('T0A')).toEqual([expect.objectContaining({ userId: 'U0NEW', grantedBy: { teamId: 'T0A', userId: 'U0BOSS' } })]);
  });

  it("when a role is revoked, then it is gone, other workspaces' grants stay, and revoking again says false", async () => {
    await roles.grant({ teamId: 'T0A', userId: 'U0X', role: 'admin', grantedBy: 'command' });
    await roles.grant({ teamId: 'T0B', userId: 'U0X', role: 'admin', grantedBy: 'command' });
    await expect(roles.revoke('T0A', 'U0X', 'admin')).resolves.toBe(true);
    await expect(roles.revoke('T0A', 'U0X', 'admin')).resolves.toBe(false);
    expect(await roles.rolesOf('T0A', 'U0X')).toEqual([]);
    expect(await roles.rolesOf('T0B', 'U0X')).toEqual(['admin']);
  });

  it('when a member holds nothing, then rolesOf is empty (a plain member)', async () => {
    expect(await roles.rolesOf('T0A', 'U0NOBODY')).toEqual([]);
  });

  it('when a role is not admin or operator, then the database refuses it', async () => {
    await expect(db.dataSource.query(`INSERT INTO auth_role_grants (team_id, user_id, role, granted_by) VALUES ('T0A', 'U0X', 'owner', 'command')`)).rejects.toThrow(/auth_role_grants_role/);
  });
});
