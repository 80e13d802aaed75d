/**
 * The reminders module's face: "remind me to ... in N minutes / at HH:MM", stored in
 * PostgreSQL (the source of truth) and delivered by delayed jobs on the 'reminders' queue.
 */
export { createRemindersService } from './reminders.service';
export { reminderCommands, createRemindCommand, createRemindersCommand } from './reminders.commands';
export { parseRemind, parseReminders, type RemindArgs, type RemindersArgs } from './reminders.parse';
export { ReminderEntity, remindersEntities } from './reminders.entity';
export { REMINDERS_ERROR_CODES } from './reminders.errors';
export {
  DELIVER_REMINDER_JOB,
  MAX_REMINDER_MINUTES,
  MAX_REMINDER_TEXT,
  MIN_REMINDER_MINUTES,
  REMINDERS_QUEUE,
  reminderKey,
  type DeliveryOutcome,
  type Reminder,
  type ReminderStatus,
  type ReminderTarget,
  type ReminderWhen,
  type RemindersDependencies,
  type RemindersService,
  type ScheduledReminder,
} from './reminders.types';
export { createTimezoneLookup, type TimezoneLookupOptions } from './reminders.timezones';
