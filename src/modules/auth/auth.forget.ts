import type { DataSource } from 'typeorm';
import { SESSIONS_TABLE } from './auth.session';

/**
 * A member's role grants and sessions, deleted in one transaction. Passport keeps the member in
 * the session's JSON (sess.passport.user), which is how their sessions in other browsers are found.
 */
export async function forgetMember(dataSource: DataSource, { teamId, userId }: { teamId: string; userId: string }): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`DELETE FROM auth_role_grants WHERE team_id = $1 AND user_id = $2`, [teamId, userId]);
    await manager.query(
      `DELETE FROM ${SESSIONS_TABLE} WHERE sess->'passport'->'user'->>'teamId' = $1 AND sess->'passport'->'user'->>'userId' = $2`,
      [teamId, userId],
    );
  });
}
