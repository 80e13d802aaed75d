import { AppError, NotFoundError } from '../../platform/errors';

/** Codes callers may match on; the messages are written for the member and shown as they are. */
export const REMINDERS_ERROR_CODES = {
  NOT_FOUND: 'REMINDERS.NOT_FOUND',
  INVALID: 'REMINDERS.INVALID',
  NOT_PENDING: 'REMINDERS.NOT_PENDING',
} as const;

/** Also what someone else's reminder looks like: its existence is not the asker's business. */
export class ReminderNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(REMINDERS_ERROR_CODES.NOT_FOUND, `I can't find a reminder \`${id}\` of yours. Say \`reminders\` to see them.`);
  }
}

export class InvalidReminderError extends AppError {
  constructor(message: string) {
    super(REMINDERS_ERROR_CODES.INVALID, message, 400);
  }
}

/** What became of a reminder, in the member's words. */
const FATES: Record<string, string> = { sent: 'was already sent', delivered: 'was already delivered', cancelled: 'was already cancelled', failed: 'could not be delivered' };

export class ReminderNotPendingError extends AppError {
  constructor(id: number, status: string) {
    super(REMINDERS_ERROR_CODES.NOT_PENDING, `Reminder \`${id}\` ${FATES[status] ?? `was already ${status}`}.`, 409);
  }
}
