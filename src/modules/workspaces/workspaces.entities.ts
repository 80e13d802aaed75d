import { EntitySchema } from 'typeorm';
import type { UninstallReason } from './workspaces.types';

/** A row of workspaces_installations; the two tokens are sealed (platform/crypto keyring). */
export interface InstallationRecord {
  teamId: string;
  teamName: string | null;
  appId: string | null;
  botUserId: string | null;
  scopes: string[];
  installerUserId: string | null;
  botToken: string | null;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
  installedAt: Date | null;
  updatedAt: Date;
  uninstalledAt: Date | null;
  uninstallReason: UninstallReason | null;
  lastRefreshedAt: Date | null;
  lastRefreshError: string | null;
  lastRefreshErrorAt: Date | null;
}

export interface InstallStateRecord {
  stateHash: string;
  browserHash: string;
  expiresAt: Date;
}

const optional = (name: string, type: 'text' | 'timestamptz') => ({ name, type, nullable: true }) as const;

/** Tables owned by the workspaces module (migrations/*-workspaces-*.ts); no other module reads them. */
export const installationEntity = new EntitySchema<InstallationRecord>({
  name: 'WorkspacesInstallation',
  tableName: 'workspaces_installations',
  columns: {
    teamId: { name: 'team_id', type: 'text', primary: true },
    teamName: optional('team_name', 'text'),
    appId: optional('app_id', 'text'),
    botUserId: optional('bot_user_id', 'text'),
    scopes: { type: 'text', array: true },
    installerUserId: optional('installer_user_id', 'text'),
    botToken: optional('bot_token', 'text'),
    refreshToken: optional('refresh_token', 'text'),
    tokenExpiresAt: optional('token_expires_at', 'timestamptz'),
    installedAt: optional('installed_at', 'timestamptz'),
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    uninstalledAt: optional('uninstalled_at', 'timestamptz'),
    uninstallReason: optional('uninstall_reason', 'text'),
    lastRefreshedAt: optional('last_refreshed_at', 'timestamptz'),
    lastRefreshError: optional('last_refresh_error', 'text'),
    lastRefreshErrorAt: optional('last_refresh_error_at', 'timestamptz'),
  },
});

export const installStateEntity = new EntitySchema<InstallStateRecord>({
  name: 'WorkspacesInstallState',
  tableName: 'workspaces_install_states',
  columns: {
    stateHash: { name: 'state_hash', type: 'text', primary: true },
    browserHash: { name: 'browser_hash', type: 'text' },
    expiresAt: { name: 'expires_at', type: 'timestamptz' },
  },
});

// The wider type is what DataSource options take.
export const workspacesEntities: EntitySchema[] = [installationEntity, installStateEntity] as EntitySchema[];
