import { errorCode, formatLocalDateTime } from '../../kernel';
import { defineCommand, type Command } from '../bot';
import { ALERTS_ERROR_CODES } from './alerts.errors';
import { parseAlerts, type AlertsArgs } from './alerts.parse';
import type { AlertsService, ScheduledAlert } from './alerts.types';

function confirmation(alert: ScheduledAlert): string {
  const next = formatLocalDateTime(new Date(alert.nextAt), alert.timezone);
  return `Daily weather alert set for ${alert.localTime} ${alert.timezone}; next one ${next}.`;
}

function noLocationHint(timezone: string): string {
  return (
    `\nYou haven't saved a location yet, so I can't tell your weather (and I'm using ${timezone} for the time). ` +
    'Say `location set <place>`, e.g. `location set Paris`.'
  );
}

export function createAlertsCommand(service: AlertsService): Command<AlertsArgs> {
  return defineCommand({
    name: 'alerts',
    usage: 'alerts on [at HH:MM] | alerts off',
    description: 'a daily weather message at a time of yours (07:30 unless you say)',
    match: parseAlerts,
    async handle(args, { user, profile, message }) {
      switch (args.kind) {
        case 'reply':
          return args.text;
        case 'off':
          return (await service.disable(user)) ? 'Daily weather alert turned off.' : 'Your daily weather alert was already off.';
        case 'status': {
          const alert = await service.get(user);
          if (!alert?.enabled || !alert.nextAt) return 'Your daily weather alert is off. Say `alerts on` (07:30) or `alerts on at HH:MM`.';
          const next = formatLocalDateTime(new Date(alert.nextAt), alert.timezone);
          return `Your daily weather alert is on at ${alert.localTime} ${alert.timezone}; next one ${next}. Say \`alerts off\` to stop it.`;
        }
        case 'on':
          try {
            const alert = await service.enable(user, message.channelId, args.time);
            return `${confirmation(alert)}${profile.location ? '' : noLocationHint(alert.timezone)}`;
          } catch (err) {
            if (errorCode(err) === ALERTS_ERROR_CODES.INVALID_TIME && err instanceof Error) return err.message;
            throw err;
          }
      }
    },
  });
}

/** The commands this module adds to the bot's registry. */
export function alertCommands(service: AlertsService): Command[] {
  return [createAlertsCommand(service)];
}
