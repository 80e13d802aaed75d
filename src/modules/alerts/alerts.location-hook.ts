import type { Logger } from '../../platform/logger';
import type { UserRef, UsersService } from '../users';
import type { AlertsService } from './alerts.types';

/**
 * The users service as the bot should see it: the same, except that a saved location also
 * moves the member's daily alert to the new place's zone. The composition root wraps the
 * service it hands to the bot, so neither the bot nor users needs to know alerts exist.
 * A failed reschedule does not undo the saved location: it is logged, and the member's next
 * `alerts on` or location change puts the schedule right.
 */
export function rescheduleAlertsOnLocationChange(
  users: UsersService,
  alerts: Pick<AlertsService, 'onLocationChanged'>,
  logger: Logger,
): UsersService {
  const moveAlert = async (ref: UserRef) => {
    try {
      await alerts.onLocationChanged(ref);
    } catch (err) {
      logger.error({ err, teamId: ref.teamId, userId: ref.userId }, 'daily alert not moved to the new location’s time zone');
    }
  };
  // Every method delegated by name: spreading would drop the methods of a class instance.
  return {
    getOrCreate: (ref, init) => users.getOrCreate(ref, init),
    get: (ref) => users.get(ref),
    getSetting: (ref, key) => users.getSetting(ref, key),
    setSetting: (ref, key, value) => users.setSetting(ref, key, value),
    unsetSetting: (ref, key) => users.unsetSetting(ref, key),
    listSettings: (ref) => users.listSettings(ref),
    list: (page) => users.list(page),
    forget: (ref) => users.forget(ref),
    async unsetLocation(ref) {
      const removed = await users.unsetLocation(ref);
      if (removed) await moveAlert(ref);
      return removed;
    },
    async setLocation(ref, location) {
      const profile = await users.setLocation(ref, location);
      await moveAlert(ref);
      return profile;
    },
  };
}
