import { IsNull, Not, type DataSource } from 'typeorm';
import { installationEntity, type InstallationRecord } from './workspaces.entities';
import type { UninstallReason } from './workspaces.types';

/** What an install writes: the grant's fields and freshly sealed tokens. */
export type InstalledFields = Pick<
  InstallationRecord,
  'teamId' | 'teamName' | 'appId' | 'botUserId' | 'scopes' | 'installerUserId' | 'botToken' | 'refreshToken' | 'tokenExpiresAt'
>;

export type InstallationPatch = Partial<Omit<InstallationRecord, 'teamId'>>;

/** A row held with SELECT ... FOR UPDATE until the callback ends: every other process waits for it. */
export interface LockedInstallation {
  row: InstallationRecord | null;
  update(patch: InstallationPatch): Promise<void>;
}

export interface InstallationsRepository {
  find(teamId: string): Promise<InstallationRecord | null>;
  /** Inserts, or updates a reinstalled workspace's row and clears its uninstall; answers the stored row. */
  upsertInstall(fields: InstalledFields, at: Date): Promise<InstallationRecord>;
  withLockedRow<T>(teamId: string, work: (locked: LockedInstallation) => Promise<T>): Promise<T>;
  /** Deletes the tokens and marks the workspace, adding a row for one never installed here. */
  markUninstalled(teamId: string, reason: UninstallReason, at: Date): Promise<void>;
  teamsWithTokens(): Promise<string[]>;
  all(): Promise<InstallationRecord[]>;
}

export function createInstallationsRepository(dataSource: DataSource): InstallationsRepository {
  const rows = () => dataSource.getRepository(installationEntity);
  return {
    find: (teamId) => rows().findOneBy({ teamId }),

    async upsertInstall(fields, at) {
      await dataSource.query(
        `INSERT INTO workspaces_installations
           (team_id, team_name, app_id, bot_user_id, scopes, installer_user_id, bot_token, refresh_token, token_expires_at, installed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (team_id) DO UPDATE SET
           team_name = EXCLUDED.team_name, app_id = EXCLUDED.app_id, bot_user_id = EXCLUDED.bot_user_id,
           scopes = EXCLUDED.scopes, installer_user_id = EXCLUDED.installer_user_id,
           bot_token = EXCLUDED.bot_token, refresh_token = EXCLUDED.refresh_token, token_expires_at = EXCLUDED.token_expires_at,
           installed_at = COALESCE(workspaces_installations.installed_at, EXCLUDED.installed_at), updated_at = EXCLUDED.updated_at,
           uninstalled_at = NULL, uninstall_reason = NULL, last_refresh_error = NULL, last_refresh_error_at = NULL`,
        [
          fields.teamId,
          fields.teamName,
          fields.appId,
          fields.botUserId,
          fields.scopes,
          fields.installerUserId,
          fields.botToken,
          fields.refreshToken,
          fields.tokenExpiresAt,
          at,
        ],
      );
      return (await rows().findOneBy({ teamId: fields.teamId }))!;
    },

    withLockedRow: (teamId, work) =>
      dataSource.transaction(async (manager) => {
        const repository = manager.getRepository(installationEntity);
        const row = await repository.findOne({ where: { teamId }, lock: { mode: 'pessimistic_write' } });
        return work({
          row,
          update: async (patch) => {
            await repository.update({ teamId }, patch);
          },
        });
      }),

    async markUninstalled(teamId, reason, at) {
      // A second event (Slack sends tokens_revoked and app_uninstalled together) keeps the first's time and reason.
      await dataSource.query(
        `INSERT INTO workspaces_installations (team_id, updated_at, uninstalled_at, uninstall_reason)
         VALUES ($1, $2, $2, $3)
         ON CONFLICT (team_id) DO UPDATE SET
           bot_token = NULL, refresh_token = NULL, token_expires_at = NULL, updated_at = EXCLUDED.updated_at,
           uninstalled_at = COALESCE(workspaces_installations.uninstalled_at, EXCLUDED.uninstalled_at),
           uninstall_reason = COALESCE(workspaces_installations.uninstall_reason, EXCLUDED.uninstall_reason)`,
        [teamId, at, reason],
      );
    },

    all: () => rows().find({ order: { teamId: 'ASC' } }),

    async teamsWithTokens() {
      const found = await rows().find({ select: { teamId: true }, where: { botToken: Not(IsNull()) }, order: { teamId: 'ASC' } });
      return found.map((r) => r.teamId);
    },
  };
}
