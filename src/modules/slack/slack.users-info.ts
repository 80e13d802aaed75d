import { LRUCache } from 'lru-cache';
import { deadlineIn, send, type RawResponse } from '../../platform/http-transport';
import { isRefusedTokenError } from './slack.errors';
import type { BotTokenProvider } from './slack.types';

export interface SlackUserTimezoneOptions {
  /** SLACK_API_URL, ending with a slash: https://slack.com/api/ */
  apiUrl: string;
  tokens: BotTokenProvider;
  timeoutMs?: number;
  /** How long a member's answer is remembered (default one hour). */
  ttlMs?: number;
  /** How many members' answers are remembered at most. */
  maxEntries?: number;
}

export interface SlackMemberRef {
  teamId: string;
  userId: string;
}

/** A member's time zone as Slack knows it (users.info `tz`), or undefined when Slack cannot say. */
export type SlackUserTimezone = (ref: SlackMemberRef) => Promise<string | undefined>;

const HOUR_MS = 60 * 60 * 1000;

/**
 * Slack's users.info as a time zone source: the fallback for reminders and alerts when a
 * member saved no location. undefined when the workspace has no bot token or Slack answers
 * ok:false (user_not_found, missing_scope...; a refused token is tried once with the workspace's
 * current one, as delivery does); throws on what may pass (HTTP 429/5xx, network,
 * timeout), which the caller logs and treats as unknown. Answers are cached per member for an hour,
 * so a burst of reminders costs one call, well inside users.info's Tier 4 limit.
 */
export function createSlackUserTimezone({ apiUrl, tokens, timeoutMs = 3000, ttlMs = HOUR_MS, maxEntries = 10_000 }: SlackUserTimezoneOptions): SlackUserTimezone {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  // Boxed, so "Slack has no tz for this member" is remembered too.
  const cache = new LRUCache<string, { tz: string | undefined }>({ max: maxEntries, ttl: ttlMs });

  /** Slack's answer for one token: the member's tz (undefined: none), or `refused` when Slack would not take the token. */
  async function ask(userId: string, token: string): Promise<{ tz: string | undefined } | 'refused' | 'unknown'> {
    const url = new URL('users.info', base);
    url.searchParams.set('user', userId);
    let response: RawResponse;
    try {
      response = await send(url, { headers: { authorization: `Bearer ${token}` }, deadline: deadlineIn(timeoutMs) });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new Error(timedOut ? `Slack users.info: no answer within ${timeoutMs} ms` : 'Slack users.info: unreachable', { cause: err });
    }
    if (response.status !== 200) throw new Error(`Slack users.info answered HTTP ${response.status}`);
    let parsed: { ok?: unknown; error?: unknown; user?: { tz?: unknown } };
    try {
      parsed = JSON.parse(response.text) as typeof parsed;
    } catch (err) {
      throw new Error('Slack users.info answered with invalid JSON', { cause: err });
    }
    if (parsed.ok !== true) return typeof parsed.error === 'string' && isRefusedTokenError(parsed.error) ? 'refused' : 'unknown';
    return { tz: typeof parsed.user?.tz === 'string' && parsed.user.tz !== '' ? parsed.user.tz : undefined };
  }

  return async ({ teamId, userId }) => {
    const cacheKey = `${teamId}:${userId}`;
    const cached = cache.get(cacheKey);
    if (cached) return cached.tz;
    const token = await tokens(teamId);
    if (token === undefined) return undefined;
    let answer = await ask(userId, token);
    if (answer === 'refused') {
      // Once, with the workspace's current token when it has another (a reinstall through another process).
      const current = await tokens(teamId, token);
      if (current !== undefined && current !== token) answer = await ask(userId, current);
    }
    if (typeof answer === 'string') return undefined;
    cache.set(cacheKey, answer);
    return answer.tz;
  };
}
