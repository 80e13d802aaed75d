/**
 * The reminders module's face: "remind me to ... in N minutes / at HH:MM", stored in
 * PostgreSQL (the source of truth) and delivered by delayed jobs on the 'reminders' queue.
 */
export { createRemindersService } from './reminders.service';
export { reminderCommands } from './reminders.commands';
export { remindersEntities } from './reminders.entity';
export { REMINDERS_QUEUE, type Reminder, type RemindersService } from './reminders.types';
export { createTimezoneLookup } from './reminders.timezones';
