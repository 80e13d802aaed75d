/** A signed-in Slack member: the same key (team id + user id) as the users module's. */
export interface Member {
  teamId: string;
  userId: string;
  name?: string;
  email?: string;
}

/**
 * Roles beyond being a member: `admin` of the member's own workspace (its installer, and
 * whom an admin promotes) and `operator` of the whole deployment (every workspace).
 */
export type Role = 'admin' | 'operator';
export const ROLES: readonly Role[] = ['admin', 'operator'];

/** Who granted a role: a member, Slack's install of the app, or `npm run admin`. */
export type GrantedBy = { teamId: string; userId: string } | 'install' | 'command';

export interface RoleGrant {
  teamId: string;
  userId: string;
  role: Role;
  grantedBy: GrantedBy;
  grantedAt: Date;
}

export interface InstalledWorkspace {
  teamId: string;
  installerUserId: string;
}

export interface Roles {
  /** Grants a role; false when the member held it already (the first grant is kept). */
  grant(grant: { teamId: string; userId: string; role: Role; grantedBy: GrantedBy }): Promise<boolean>;
  /** Takes a role away; false when the member did not hold it. */
  revoke(teamId: string, userId: string, role: Role): Promise<boolean>;
  rolesOf(teamId: string, userId: string): Promise<Role[]>;
  /**
   * The installer becomes admin of that workspace and, when the deployment has no operator
   * yet, its first operator (race-safe: of installs at the same moment, one is first).
   */
  onInstalled(installed: InstalledWorkspace): Promise<{ operator: boolean }>;
  /** A workspace's admins, oldest grant first. */
  admins(teamId: string): Promise<RoleGrant[]>;
  operators(): Promise<RoleGrant[]>;
}
