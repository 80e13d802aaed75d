import { AppError, NotFoundError } from '../../platform/errors';
import type { UserRef } from './users.types';

/** The codes callers may match on: codes, not classes, cross the wire between services. */
export const USERS_ERROR_CODES = {
  NOT_FOUND: 'USERS.NOT_FOUND',
  UNKNOWN_SETTING: 'USERS.UNKNOWN_SETTING',
  INVALID_SETTING: 'USERS.INVALID_SETTING',
} as const;

export class UserNotFoundError extends NotFoundError {
  constructor(ref: UserRef) {
    super(USERS_ERROR_CODES.NOT_FOUND, `No user ${ref.userId} in team ${ref.teamId}.`);
  }
}

export class UnknownSettingError extends AppError {
  constructor(key: string, known: readonly string[]) {
    // The key is whatever the member typed: keep an absurd one from flooding the reply.
    const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
    super(USERS_ERROR_CODES.UNKNOWN_SETTING, `There is no setting called "${shown}". Known settings: ${known.join(', ')}.`, 400, {
      details: { known },
    });
  }
}

export class InvalidSettingError extends AppError {
  constructor(key: string, allowed: string) {
    super(USERS_ERROR_CODES.INVALID_SETTING, `That is not a valid ${key}: expected ${allowed}.`, 400, {
      details: { key, allowed },
    });
  }
}
