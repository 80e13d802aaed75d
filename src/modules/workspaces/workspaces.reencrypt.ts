import { WorkspaceTokenUnreadableError } from './workspaces.errors';
import type { InstallationsRepository } from './workspaces.repository';
import type { TokenSealer } from './workspaces.sealing';
import type { ReencryptReport } from './workspaces.types';

/**
 * Seals every stored token again with the current key, one row at a time under its lock (so a
 * refresh in another process never meets a half-rewritten row). A row no configured key opens
 * is reported and left alone: dropping it would lose the workspace.
 */
export async function reencryptTokens(repository: InstallationsRepository, sealer: TokenSealer): Promise<ReencryptReport> {
  const report: ReencryptReport = { checked: 0, resealed: 0, unreadable: [] };
  for (const teamId of await repository.teamsWithTokens()) {
    const outcome = await repository.withLockedRow(teamId, async ({ row, update }) => {
      if (!row?.botToken) return 'gone';
      const { botToken, refreshToken } = row;
      if (!sealer.isStale(botToken) && (refreshToken === null || !sealer.isStale(refreshToken))) return 'current';
      try {
        await update({
          botToken: sealer.seal(teamId, 'bot_token', sealer.open(teamId, 'bot_token', botToken)),
          refreshToken: refreshToken === null ? null : sealer.seal(teamId, 'refresh_token', sealer.open(teamId, 'refresh_token', refreshToken)),
        });
        return 'resealed';
      } catch (err) {
        if (err instanceof WorkspaceTokenUnreadableError) return 'unreadable';
        throw err;
      }
    });
    if (outcome === 'gone') continue;
    report.checked += 1;
    if (outcome === 'resealed') report.resealed += 1;
    if (outcome === 'unreadable') report.unreadable.push(teamId);
  }
  return report;
}
