import type { DataSource } from 'typeorm';
import type { Keyring } from '../../platform/crypto';
import type { Logger } from '../../platform/logger';
import { createBotTokens, REFRESH_MARGIN_MS } from './workspaces.bot-tokens';
import { InstallNotConfiguredError, InstallStateError, UnsupportedInstallError } from './workspaces.errors';
import { toInstallation } from './workspaces.installation';
import { createInstallStates } from './workspaces.install-states';
import { reencryptTokens } from './workspaces.reencrypt';
import { createInstallationsRepository } from './workspaces.repository';
import { createTokenSealer } from './workspaces.sealing';
import { createSlackOAuthClient } from './workspaces.slack-oauth';
import type { Installation, WorkspacesService } from './workspaces.types';

/** What Jeeves asks a workspace for (README, SLACK_BOT_TOKEN): replies, mentions, DMs, history look-ups, time zones, /jeeves. */
export const BOT_SCOPES = ['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'groups:history', 'im:history', 'mpim:history', 'users:read'] as const;

export const INSTALL_PATH = '/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

export interface WorkspacesOptions {
  dataSource: DataSource;
  keyring: Keyring;
  /** SLACK_API_URL, ending with a slash. */
  slackApiUrl: string;
  /** SLACK_OAUTH_URL: Slack's authorize page. */
  oauthUrl: string;
  /** SLACK_CLIENT_ID / SLACK_CLIENT_SECRET; without them Add to Slack answers "not configured". */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** PUBLIC_URL: the redirect URI is built from it. */
  publicUrl: string;
  logger: Logger;
  clock?: () => number;
  /** Told of every (re)install once it is stored: the auth module makes the installer an admin. */
  onInstalled?: (installation: Installation) => unknown;
  /** How long this process trusts a token it read (default 30 s). */
  cacheTtlMs?: number;
}

export function createWorkspaces(options: WorkspacesOptions): WorkspacesService {
  const { dataSource, keyring, logger, clock = Date.now, onInstalled } = options;
  const repository = createInstallationsRepository(dataSource);
  const sealer = createTokenSealer(keyring);
  const states = createInstallStates({ dataSource, clock });
  const oauth =
    options.clientId && options.clientSecret
      ? createSlackOAuthClient({ apiUrl: options.slackApiUrl, clientId: options.clientId, clientSecret: options.clientSecret })
      : undefined;
  const tokens = createBotTokens({ repository, sealer, oauth, clock, logger, ...(options.cacheTtlMs !== undefined ? { cacheTtlMs: options.cacheTtlMs } : {}) });
  const redirectUri = `${options.publicUrl.replace(/\/+$/, '')}${OAUTH_REDIRECT_PATH}`;

  async function markUninstalled(teamId: string, reason: 'app_uninstalled' | 'tokens_revoked'): Promise<void> {
    await repository.markUninstalled(teamId, reason, new Date(clock()));
    tokens.remember(teamId, { kind: 'uninstalled' });
    logger.info({ teamId, reason }, 'workspace tokens deleted: it is not answered until it reinstalls');
  }

  return {
    async startInstall(browser) {
      if (!oauth) throw new InstallNotConfiguredError();
      const url = new URL(options.oauthUrl);
      url.searchParams.set('client_id', options.clientId!);
      url.searchParams.set('scope', BOT_SCOPES.join(','));
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', await states.issue(browser));
      return url.toString();
    },

    async completeInstall({ code, state, browser }) {
      if (!oauth) throw new InstallNotConfiguredError();
      if (!code || !state) throw new InstallStateError('missing');
      await states.consume(state, browser);
      const grant = await oauth.exchangeCode(code, redirectUri);
      if (!grant.teamId) throw new UnsupportedInstallError('an organisation-wide install names no single workspace');
      const teamId = grant.teamId;
      const now = clock();
      const rotates = grant.refreshToken !== undefined && grant.expiresInSeconds !== undefined;
      const expiresAt = rotates ? new Date(now + grant.expiresInSeconds! * 1000) : null;
      const row = await repository.upsertInstall(
        {
          teamId,
          teamName: grant.teamName ?? null,
          appId: grant.appId ?? null,
          botUserId: grant.botUserId ?? null,
          scopes: grant.scopes,
          installerUserId: grant.installerUserId ?? null,
          botToken: sealer.seal(teamId, 'bot_token', grant.botToken),
          refreshToken: rotates ? sealer.seal(teamId, 'refresh_token', grant.refreshToken!) : null,
          tokenExpiresAt: expiresAt,
        },
        new Date(now),
      );
      tokens.remember(teamId, { kind: 'token', token: grant.botToken, refreshAt: expiresAt ? expiresAt.getTime() - REFRESH_MARGIN_MS : Infinity });
      const installation = toInstallation(row);
      logger.info({ teamId, installerUserId: installation.installerUserId, tokenRotation: rotates }, 'workspace installed');
      try {
        await onInstalled?.(installation);
      } catch (err) {
        // The installation is stored and Slack's code is spent; a reinstall reports it again.
        logger.error({ err, teamId }, 'onInstalled failed for a stored installation');
      }
      return installation;
    },

    botTokenFor: (teamId, refused) => tokens.botTokenFor(teamId, refused),

    uninstalled: (teamId) => markUninstalled(teamId, 'app_uninstalled'),

    async tokensRevoked(teamId, { bot = [], oauth: userTokens = [] }) {
      const row = await repository.find(teamId);
      // Without a bot user of our own on record (the single-token shortcut), any revoked bot token is Jeeves'.
      const botRevoked = bot.length > 0 && (!row?.botUserId || bot.includes(row.botUserId));
      if (botRevoked) await markUninstalled(teamId, 'tokens_revoked');
      // Jeeves keeps no user tokens: there is nothing of theirs to delete.
      else logger.info({ teamId, bot: bot.length, oauth: userTokens.length }, 'tokens_revoked names no token Jeeves keeps');
      return { botRevoked };
    },

    async installation(teamId) {
      const row = await repository.find(teamId);
      return row ? toInstallation(row) : undefined;
    },

    installations: async () => (await repository.all()).map(toInstallation),

    reencryptTokens: () => reencryptTokens(repository, sealer),
  };
}
