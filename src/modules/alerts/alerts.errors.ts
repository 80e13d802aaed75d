import { AppError } from '../../platform/errors';

/** Codes callers may match on; the messages are written for the member and shown as they are. */
export const ALERTS_ERROR_CODES = {
  INVALID_TIME: 'ALERTS.INVALID_TIME',
} as const;

export function invalidAlertTime(time: string): string {
  return `“${time}” isn't a time of day: use 24-hour HH:MM, like 07:30 or 18:05.`;
}

export class InvalidAlertTimeError extends AppError {
  constructor(time: string) {
    super(ALERTS_ERROR_CODES.INVALID_TIME, invalidAlertTime(time), 400);
  }
}
