/**
 * The alerts module's face: a daily weather message at the member's local time, one cron
 * schedule per member on the 'alerts' queue, in the member's zone (DST is the cron engine's).
 * The composition root wires the ports (notifier, weather report, time zones) and calls
 * onLocationChanged after a member's location changes (see rescheduleAlertsOnLocationChange).
 */
export { createAlertsService } from './alerts.service';
export { alertCommands } from './alerts.commands';
export { alertsEntities } from './alerts.entity';
export { rescheduleAlertsOnLocationChange } from './alerts.location-hook';
export { ALERTS_QUEUE, type AlertStatus, type AlertsService, type WeatherReport } from './alerts.types';
