/**
 * The alerts module's face: a daily weather message at the member's local time, one cron
 * schedule per member on the 'alerts' queue, in the member's zone (DST is the cron engine's).
 * The composition root wires the ports (notifier, weather report, time zones) and calls
 * onLocationChanged after a member's location changes (see rescheduleAlertsOnLocationChange).
 */
export { createAlertsService } from './alerts.service';
export { alertCommands, createAlertsCommand } from './alerts.commands';
export { parseAlerts, ALERTS_USAGE, type AlertsArgs } from './alerts.parse';
export { AlertSubscriptionEntity, alertsEntities } from './alerts.entity';
export { ALERTS_ERROR_CODES } from './alerts.errors';
export { dailyCronPattern, nextAlertAt } from './alerts.time';
export { rescheduleAlertsOnLocationChange } from './alerts.location-hook';
export {
  ALERTS_QUEUE,
  alertMessageKey,
  alertScheduleId,
  DEFAULT_ALERT_TIME,
  SEND_ALERT_JOB,
  type AlertStatus,
  type AlertSubscription,
  type AlertsDependencies,
  type AlertsService,
  type ScheduledAlert,
  type WeatherReport,
} from './alerts.types';
