import type { Infrastructure } from '../infrastructure/infrastructure';
import type { Notifier, TimezoneLookup } from '../kernel';
import { createAlertsService, rescheduleAlertsOnLocationChange, type AlertsService, type WeatherReport } from '../modules/alerts';
import type { UsersService } from '../modules/users';
import { moduleLogger } from '../platform/logger';

export interface AlertsWiring {
  alerts: AlertsService;
  /** The users module as the bot should see it: saving a new location moves the member's daily alert to its zone. */
  usersMovingAlerts: UsersService;
}

export function wireAlerts(infra: Infrastructure, ports: { users: UsersService; notifier: Notifier; timezones: TimezoneLookup; weatherReport: WeatherReport; answered: (teamId: string) => Promise<boolean> }): AlertsWiring {
  const logger = moduleLogger(infra.logger, 'alerts');
  const alerts = createAlertsService({
    dataSource: infra.dataSource,
    queue: infra.queue,
    notifier: ports.notifier,
    timezones: ports.timezones,
    weather: ports.weatherReport,
    answered: ports.answered,
    logger,
  });
  return { alerts, usersMovingAlerts: rescheduleAlertsOnLocationChange(ports.users, alerts, logger) };
}
