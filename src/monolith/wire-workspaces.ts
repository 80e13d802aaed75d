import type { Router } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import { hasCode } from '../kernel';
import type { Roles } from '../modules/auth';
import { WorkspaceGoneError, type BotTokenProvider, type WorkspaceGoneSink } from '../modules/slack';
import { createWorkspaces, workspacesRouter, type WorkspacesService } from '../modules/workspaces';
import { moduleLogger } from '../platform/logger';

export interface WorkspacesWiring {
  workspaces: WorkspacesService;
  /** GET /install and /slack/oauth_redirect. */
  router: Router;
  /** Each workspace's own bot token; SLACK_BOT_TOKEN for a team that never installed. */
  tokens: BotTokenProvider;
  /** What app_uninstalled and tokens_revoked delete. */
  onWorkspaceGone: WorkspaceGoneSink;
  /** False once a workspace removed Jeeves or had its bot token revoked, until it reinstalls. */
  answered(teamId: string): Promise<boolean>;
}

export function wireWorkspaces(infra: Infrastructure, ports: { roles: Roles }): WorkspacesWiring {
  const { config, dataSource, keyring } = infra;
  const logger = moduleLogger(infra.logger, 'workspaces');
  const workspaces = createWorkspaces({
    dataSource,
    keyring,
    slackApiUrl: config.SLACK_API_URL,
    oauthUrl: config.SLACK_OAUTH_URL,
    clientId: config.SLACK_CLIENT_ID,
    clientSecret: config.SLACK_CLIENT_SECRET,
    publicUrl: config.PUBLIC_URL,
    logger,
    // The installer is the workspace's first admin; the first installer ever, the first operator.
    onInstalled: (installation) =>
      installation.installerUserId ? ports.roles.onInstalled({ teamId: installation.teamId, installerUserId: installation.installerUserId }) : undefined,
  });
  const shortcut = config.SLACK_BOT_TOKEN;
  // A chain, not try/await: every delivery asks (bench/README.md).
  const tokens: BotTokenProvider = (teamId, refused) =>
    workspaces.botTokenFor(teamId, refused).then(
      (token) => token ?? shortcut,
      (err: unknown) => {
        // Not answered again, with any token, until it reinstalls: its messages are dead-lettered.
        if (hasCode(err, 'WORKSPACES.UNINSTALLED')) throw new WorkspaceGoneError(teamId, err);
        throw err;
      },
    );
  const onWorkspaceGone: WorkspaceGoneSink = async (gone) => {
    if (gone.event === 'app_uninstalled') await workspaces.uninstalled(gone.teamId);
    else await workspaces.tokensRevoked(gone.teamId, gone.tokens);
  };
  const answered = async (teamId: string): Promise<boolean> => (await workspaces.installation(teamId))?.uninstalledAt === undefined;
  return { workspaces, answered, router: workspacesRouter({ workspaces, publicUrl: config.PUBLIC_URL, logger }), tokens, onWorkspaceGone };
}
