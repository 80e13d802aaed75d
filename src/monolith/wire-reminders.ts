import type { Infrastructure } from '../infrastructure/infrastructure';
import type { Notifier, TimezoneLookup } from '../kernel';
import { createRemindersService, createTimezoneLookup, type RemindersService } from '../modules/reminders';
import type { SlackUserTimezone } from '../modules/slack';
import type { UsersService } from '../modules/users';
import { moduleLogger } from '../platform/logger';

export interface RemindersWiring {
  reminders: RemindersService;
  /** Reminders and alerts use the member's setting or location zone, else what Slack knows. */
  timezones: TimezoneLookup;
}

export function wireReminders(infra: Infrastructure, ports: { users: UsersService; slackTimezone: SlackUserTimezone; notifier: Notifier }): RemindersWiring {
  const logger = moduleLogger(infra.logger, 'reminders');
  const timezones = createTimezoneLookup({ users: ports.users, slackTimezone: ports.slackTimezone, logger });
  const reminders = createRemindersService({ dataSource: infra.dataSource, queue: infra.queue, notifier: ports.notifier, timezones, logger });
  return { reminders, timezones };
}
