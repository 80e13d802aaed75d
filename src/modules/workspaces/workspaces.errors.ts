import { AppError, UnavailableError } from '../../platform/errors';

/** The workspace removed Jeeves (or Slack revoked its bot token): nobody answers it until it reinstalls. */
export class WorkspaceUninstalledError extends AppError {
  constructor(readonly teamId: string) {
    super('WORKSPACES.UNINSTALLED', `Workspace ${teamId} has uninstalled Jeeves or revoked its token.`, 410);
  }
}

/** A stored token no configured key opens: TOKEN_ENCRYPTION_KEY lost the key that sealed it. */
export class WorkspaceTokenUnreadableError extends AppError {
  constructor(teamId: string, why: string, cause?: unknown) {
    super('WORKSPACES.TOKEN_UNREADABLE', `The stored token of workspace ${teamId} cannot be read: ${why}.`, 500, { cause });
  }
}

export class TokenRefreshFailedError extends AppError {
  constructor(teamId: string, why: string, cause?: unknown) {
    super('WORKSPACES.TOKEN_REFRESH_FAILED', `The bot token of workspace ${teamId} expired and could not be refreshed: ${why}.`, 503, { cause });
  }
}

export type InstallStateProblem = 'missing' | 'unknown' | 'expired' | 'other-browser';

const STATE_MESSAGES: Record<InstallStateProblem, string> = {
  missing: 'The request carries no state or no code: start again from the Add to Slack button.',
  unknown: 'This install link is not one Jeeves issued, or it was already used: start again from the Add to Slack button.',
  expired: 'This install link has expired: start again from the Add to Slack button.',
  'other-browser': 'This install was started in another browser: finish it where it was started, or start again here.',
};

/** A missing, forged, replayed, expired or foreign `state`: nothing is exchanged or stored. */
export class InstallStateError extends AppError {
  constructor(readonly problem: InstallStateProblem) {
    super('WORKSPACES.INVALID_STATE', STATE_MESSAGES[problem], problem === 'missing' ? 400 : 403);
  }
}

/** Slack answered oauth.v2.access with ok:false (invalid_code, bad_redirect_uri, invalid_refresh_token...). */
export class SlackOAuthRefusedError extends AppError {
  constructor(readonly slackError: string) {
    super('WORKSPACES.SLACK_REFUSED', `Slack refused the request (${slackError}).`, 400, { details: { slackError } });
  }
}

export class SlackOAuthUnavailableError extends UnavailableError {
  constructor(why: string, cause?: unknown) {
    super('WORKSPACES.SLACK_UNAVAILABLE', `Slack's oauth.v2.access ${why}.`, cause);
  }
}

/** Something Jeeves cannot keep: an organisation-wide install, or a grant without a bot token. */
export class UnsupportedInstallError extends AppError {
  constructor(why: string) {
    super('WORKSPACES.UNSUPPORTED_INSTALL', `Jeeves cannot be installed this way: ${why}.`, 400);
  }
}

export class InstallNotConfiguredError extends AppError {
  constructor() {
    super('WORKSPACES.NOT_CONFIGURED', 'Add to Slack is not configured here: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.', 503);
  }
}
