import type { Logger } from '../../platform/logger';
import { errorCode, type TimezoneLookup } from '../../kernel';
import type { UsersService } from '../users';

export interface TimezoneLookupOptions {
  users: Pick<UsersService, 'get'>;
  /** Slack's users.info `tz`, when the slack module offers it. */
  slackTimezone?: TimezoneLookup;
  logger: Logger;
}

/**
 * The TimezoneLookup both reminders and alerts take: the member's `timezone` setting, else their saved location's zone,
 * else Slack's, else undefined (UTC). Slack is only a fallback, so its failure is logged and
 * treated as "unknown" rather than failing the member's command.
 */
export function createTimezoneLookup({ users, slackTimezone, logger }: TimezoneLookupOptions): TimezoneLookup {
  return async (ref) => {
    try {
      // The member's `timezone` setting, when they chose one, wins over their location's zone.
      const profile = await users.get(ref);
      const zone = profile.settings.timezone ?? profile.location?.timezone;
      if (zone) return zone;
    } catch (err) {
      if (errorCode(err) !== 'USERS.NOT_FOUND') throw err;
    }
    if (!slackTimezone) return undefined;
    try {
      return await slackTimezone(ref);
    } catch (err) {
      logger.warn({ err, teamId: ref.teamId, userId: ref.userId }, "Slack time zone lookup failed; using UTC");
      return undefined;
    }
  };
}
