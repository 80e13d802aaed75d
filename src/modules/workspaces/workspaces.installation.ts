import type { InstallationRecord } from './workspaces.entities';
import type { Installation } from './workspaces.types';

/** A row as others see it: no tokens, no nulls. */
export function toInstallation(row: InstallationRecord): Installation {
  return {
    teamId: row.teamId,
    teamName: row.teamName ?? undefined,
    appId: row.appId ?? undefined,
    botUserId: row.botUserId ?? undefined,
    scopes: row.scopes,
    installerUserId: row.installerUserId ?? undefined,
    tokenRotation: row.refreshToken !== null,
    tokenExpiresAt: row.tokenExpiresAt ?? undefined,
    installedAt: row.installedAt ?? undefined,
    updatedAt: row.updatedAt,
    uninstalledAt: row.uninstalledAt ?? undefined,
    uninstallReason: row.uninstallReason ?? undefined,
    lastRefreshedAt: row.lastRefreshedAt ?? undefined,
    lastRefreshError: row.lastRefreshError ?? undefined,
    lastRefreshErrorAt: row.lastRefreshErrorAt ?? undefined,
  };
}
