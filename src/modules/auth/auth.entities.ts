import { EntitySchema } from 'typeorm';

/** A row of auth_role_grants (migrations/*-auth-*.ts); no other module reads it. */
export interface RoleGrantRow {
  teamId: string;
  userId: string;
  role: string;
  grantedBy: string;
  grantedAt: Date;
}

export const RoleGrantEntity = new EntitySchema<RoleGrantRow>({
  name: 'AuthRoleGrant',
  tableName: 'auth_role_grants',
  columns: {
    teamId: { name: 'team_id', type: 'text', primary: true },
    userId: { name: 'user_id', type: 'text', primary: true },
    role: { type: 'text', primary: true },
    grantedBy: { name: 'granted_by', type: 'text' },
    grantedAt: { name: 'granted_at', type: 'timestamptz', createDate: true },
  },
});

// Sessions (auth_sessions) are the session store's own table, read through it, not TypeORM.
export const authEntities: EntitySchema[] = [RoleGrantEntity as EntitySchema];
