import type { DataSource, EntityManager } from 'typeorm';
import type { GrantedBy, Role, RoleGrant, Roles } from './auth.types';

interface GrantRecord {
  teamId: string;
  userId: string;
  role: Role;
  grantedBy: string;
  grantedAt: Date;
}

/** The advisory lock that lets one install at a time ask "is there an operator yet?". */
export const FIRST_OPERATOR_LOCK = 'auth_role_grants.first_operator';

const COLUMNS = `team_id AS "teamId", user_id AS "userId", role, granted_by AS "grantedBy", granted_at AS "grantedAt"`;

function encodeGrantedBy(by: GrantedBy): string {
  return typeof by === 'string' ? by : `${by.teamId}:${by.userId}`;
}

function decodeGrantedBy(stored: string): GrantedBy {
  if (stored === 'install' || stored === 'command') return stored;
  const [teamId = '', userId = ''] = stored.split(':');
  return { teamId, userId };
}

const toGrant = (row: GrantRecord): RoleGrant => ({ ...row, grantedBy: decodeGrantedBy(row.grantedBy) });

/** Inserts unless held; the structured result says whether a row was written. */
async function insertGrant(manager: EntityManager, teamId: string, userId: string, role: Role, grantedBy: GrantedBy): Promise<boolean> {
  const runner = manager.queryRunner ?? manager.dataSource.createQueryRunner();
  try {
    const result = await runner.query(
      `INSERT INTO auth_role_grants (team_id, user_id, role, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [teamId, userId, role, encodeGrantedBy(grantedBy)],
      true,
    );
    return (result.affected ?? 0) > 0;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/** Who holds which role, in auth_role_grants. */
export function createRoles(dataSource: DataSource): Roles {
  return {
    grant: ({ teamId, userId, role, grantedBy }) => insertGrant(dataSource.manager, teamId, userId, role, grantedBy),

    async revoke(teamId, userId, role) {
      const runner = dataSource.createQueryRunner();
      try {
        const result = await runner.query(`DELETE FROM auth_role_grants WHERE team_id = $1 AND user_id = $2 AND role = $3`, [teamId, userId, role], true);
        return (result.affected ?? 0) > 0;
      } finally {
        await runner.release();
      }
    },

    async rolesOf(teamId, userId) {
      const rows = (await dataSource.query(`SELECT role FROM auth_role_grants WHERE team_id = $1 AND user_id = $2 ORDER BY role`, [teamId, userId])) as Array<{ role: Role }>;
      return rows.map((row) => row.role);
    },

    onInstalled: ({ teamId, installerUserId }) =>
      dataSource.transaction(async (manager) => {
        await insertGrant(manager, teamId, installerUserId, 'admin', 'install');
        // One install at a time past this point, so two first installs cannot both find no operator.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [FIRST_OPERATOR_LOCK]);
        const [existing] = (await manager.query(`SELECT 1 FROM auth_role_grants WHERE role = 'operator' LIMIT 1`)) as unknown[];
        if (existing) return { operator: false };
        await insertGrant(manager, teamId, installerUserId, 'operator', 'install');
        return { operator: true };
      }),

    async admins(teamId) {
      const rows = (await dataSource.query(`SELECT ${COLUMNS} FROM auth_role_grants WHERE team_id = $1 AND role = 'admin' ORDER BY granted_at, user_id`, [teamId])) as GrantRecord[];
      return rows.map(toGrant);
    },

    async operators() {
      const rows = (await dataSource.query(`SELECT ${COLUMNS} FROM auth_role_grants WHERE role = 'operator' ORDER BY granted_at, team_id, user_id`)) as GrantRecord[];
      return rows.map(toGrant);
    },
  };
}
