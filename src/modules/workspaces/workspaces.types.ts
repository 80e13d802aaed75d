/** What the workspaces module answers with: plain types, never rows or HTTP shapes. */

export type UninstallReason = 'app_uninstalled' | 'tokens_revoked';

/** One workspace's installation as a dashboard shows it: everything but the tokens. */
export interface Installation {
  teamId: string;
  teamName?: string;
  appId?: string;
  botUserId?: string;
  scopes: string[];
  /** The member who added Jeeves (Slack's authed_user). */
  installerUserId?: string;
  /** True when Slack rotates this workspace's tokens: a refresh token is kept and the bot token expires. */
  tokenRotation: boolean;
  tokenExpiresAt?: Date;
  /** First installed here; unset for a workspace only ever seen uninstalling (the single-token shortcut). */
  installedAt?: Date;
  /** Last (re)install, refresh or uninstall. */
  updatedAt: Date;
  uninstalledAt?: Date;
  uninstallReason?: UninstallReason;
  lastRefreshedAt?: Date;
  lastRefreshError?: string;
  lastRefreshErrorAt?: Date;
}

/** Slack's tokens_revoked event: the user ids whose tokens were revoked, by kind. */
export interface RevokedTokens {
  bot?: string[];
  oauth?: string[];
}

export interface CompleteInstallRequest {
  code: string | undefined;
  state: string | undefined;
  /** The value of the browser's install cookie, which the state was bound to. */
  browser: string | undefined;
}

export interface ReencryptReport {
  /** Installations holding tokens. */
  checked: number;
  /** Installations whose tokens were sealed again with the current key. */
  resealed: number;
  /** Team ids whose tokens no configured key opens: left as they are. */
  unreadable: string[];
}

export interface WorkspacesService {
  /** Slack's authorize URL for "Add to Slack", with a single-use state bound to this browser value. */
  startInstall(browser: string): Promise<string>;
  /**
   * Checks the state (single use, unexpired, this browser's), exchanges the code through
   * oauth.v2.access, stores the installation and reports it to onInstalled. Nothing is stored
   * when any step fails.
   */
  completeInstall(request: CompleteInstallRequest): Promise<Installation>;
  /**
   * The workspace's bot token, refreshed first (once across every process) when Slack rotates
   * it and it is about to expire. Undefined when the workspace never installed (callers fall back
   * to SLACK_BOT_TOKEN); throws WorkspaceUninstalledError (WORKSPACES.UNINSTALLED) when it
   * uninstalled or its bot token was revoked, so nothing answers it until it reinstalls.
   * `refused`: a token Slack just refused; when it is the one this process remembers, the
   * answer comes from the store (another process may have stored a reinstall's new token).
   */
  botTokenFor(teamId: string, refused?: string): Promise<string | undefined>;
  /** app_uninstalled: deletes the tokens and marks the workspace uninstalled, at once. */
  uninstalled(teamId: string): Promise<void>;
  /** tokens_revoked: when the bot's token is among them, deletes the tokens and marks the workspace. */
  tokensRevoked(teamId: string, tokens: RevokedTokens): Promise<{ botRevoked: boolean }>;
  installation(teamId: string): Promise<Installation | undefined>;
  /** Every workspace ever installed or seen uninstalling, by team id. */
  installations(): Promise<Installation[]>;
  /** Seals every stored token with the current key (after a key rotation), so old keys can go. */
  reencryptTokens(): Promise<ReencryptReport>;
}
