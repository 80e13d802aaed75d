import { LRUCache } from 'lru-cache';
import type { Logger } from '../../platform/logger';
import type { InstallationRecord } from './workspaces.entities';
import { TokenRefreshFailedError, WorkspaceUninstalledError } from './workspaces.errors';
import type { InstallationsRepository } from './workspaces.repository';
import type { TokenSealer } from './workspaces.sealing';
import type { SlackOAuthClient } from './workspaces.slack-oauth';

/** What a process knows of one workspace's bot token. */
export type KnownToken =
  | { kind: 'none' }
  | { kind: 'uninstalled' }
  /** refreshAt: when this token must be refreshed (Infinity when Slack does not rotate it). */
  | { kind: 'token'; token: string; refreshAt: number };

export interface BotTokens {
  /** `refused`: a token Slack just refused; remembered, it is forgotten and the store read again. */
  botTokenFor(teamId: string, refused?: string): Promise<string | undefined>;
  /** What this process just stored (install, uninstall): it answers so at once, whatever it had cached. */
  remember(teamId: string, known: KnownToken): void;
}

export interface BotTokensOptions {
  repository: InstallationsRepository;
  sealer: TokenSealer;
  /** Undefined when this process has no Slack client credentials: rotating tokens cannot be refreshed. */
  oauth: SlackOAuthClient | undefined;
  clock: () => number;
  logger: Logger;
  cacheTtlMs?: number;
}

/** A rotating token is refreshed this long before it expires, so no call goes out with a dying one. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** How long a process trusts what it read: the staleness another process's uninstall or install may see here. */
export const TOKEN_CACHE_TTL_MS = 30_000;
/** After a failed refresh, a token that still works is used this long before the next try. */
const RETRY_REFRESH_AFTER_MS = 10_000;

const refreshAtOf = (expiresAt: Date | null) => (expiresAt ? expiresAt.getTime() - REFRESH_MARGIN_MS : Infinity);
const needsRefresh = (row: InstallationRecord, now: number) => row.botToken !== null && refreshAtOf(row.tokenExpiresAt) <= now;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createBotTokens({ repository, sealer, oauth, clock, logger, cacheTtlMs = TOKEN_CACHE_TTL_MS }: BotTokensOptions): BotTokens {
  const cache = new LRUCache<string, { known: KnownToken; until: number }>({ max: 10_000 });
  const inflight = new Map<string, Promise<KnownToken>>();

  const knownOf = (teamId: string, row: InstallationRecord | null): KnownToken => {
    if (!row) return { kind: 'none' };
    if (row.uninstalledAt || !row.botToken) return { kind: 'uninstalled' };
    return { kind: 'token', token: sealer.open(teamId, 'bot_token', row.botToken), refreshAt: refreshAtOf(row.tokenExpiresAt) };
  };

  /** Under the row's lock: the first process to get it refreshes, the others find the new token. */
  async function refresh(teamId: string): Promise<KnownToken> {
    type Outcome = { known: KnownToken } | { failed: unknown; row: InstallationRecord; now: number };
    const outcome = await repository.withLockedRow(teamId, async ({ row, update }): Promise<Outcome> => {
      const now = clock();
      if (!row || !needsRefresh(row, now)) return { known: knownOf(teamId, row) };
      try {
        if (!oauth) throw new Error('SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are not configured in this process');
        const grant = await oauth.refresh(sealer.open(teamId, 'refresh_token', row.refreshToken!));
        const expiresAt = grant.refreshToken && grant.expiresInSeconds ? new Date(now + grant.expiresInSeconds * 1000) : null;
        await update({
          botToken: sealer.seal(teamId, 'bot_token', grant.botToken),
          refreshToken: expiresAt ? sealer.seal(teamId, 'refresh_token', grant.refreshToken!) : null,
          tokenExpiresAt: expiresAt,
          updatedAt: new Date(now),
          lastRefreshedAt: new Date(now),
          lastRefreshError: null,
          lastRefreshErrorAt: null,
        });
        logger.info({ teamId, expiresAt }, 'refreshed the rotating bot token of a workspace');
        return { known: { kind: 'token', token: grant.botToken, refreshAt: refreshAtOf(expiresAt) } };
      } catch (err) {
        await update({ lastRefreshError: messageOf(err), lastRefreshErrorAt: new Date(now) });
        return { failed: err, row, now };
      }
    });
    if ('known' in outcome) return outcome.known;
    const { failed, row, now } = outcome;
    if (row.tokenExpiresAt && row.tokenExpiresAt.getTime() > now) {
      logger.warn({ teamId, err: failed, expiresAt: row.tokenExpiresAt }, 'could not refresh a bot token before it expires: using it meanwhile');
      return { kind: 'token', token: sealer.open(teamId, 'bot_token', row.botToken!), refreshAt: Math.min(now + RETRY_REFRESH_AFTER_MS, row.tokenExpiresAt.getTime()) };
    }
    logger.error({ teamId, err: failed }, 'the bot token of a workspace expired and could not be refreshed');
    throw new TokenRefreshFailedError(teamId, messageOf(failed), failed);
  }

  async function load(teamId: string): Promise<KnownToken> {
    const row = await repository.find(teamId);
    return row && needsRefresh(row, clock()) ? refresh(teamId) : knownOf(teamId, row);
  }

  function answer(teamId: string, known: KnownToken): string | undefined {
    if (known.kind === 'uninstalled') throw new WorkspaceUninstalledError(teamId);
    return known.kind === 'token' ? known.token : undefined;
  }

  return {
    // The delivery path: a cache hit costs no database read and no decryption.
    async botTokenFor(teamId, refused) {
      const now = clock();
      let cached = cache.get(teamId);
      if (refused !== undefined && cached?.known.kind === 'token' && cached.known.token === refused) {
        cache.delete(teamId);
        cached = undefined;
      }
      if (cached && cached.until > now && (cached.known.kind !== 'token' || cached.known.refreshAt > now)) return answer(teamId, cached.known);
      let pending = inflight.get(teamId);
      if (!pending) {
        const loading = load(teamId)
          .then((known) => {
            // What remember() stored while this read was under way is newer: keep it.
            if (inflight.get(teamId) === loading) cache.set(teamId, { known, until: clock() + cacheTtlMs });
            return known;
          })
          .finally(() => {
            if (inflight.get(teamId) === loading) inflight.delete(teamId);
          });
        inflight.set(teamId, loading);
        pending = loading;
      }
      return answer(teamId, await pending);
    },

    remember(teamId, known) {
      inflight.delete(teamId);
      cache.set(teamId, { known, until: clock() + cacheTtlMs });
    },
  };
}
