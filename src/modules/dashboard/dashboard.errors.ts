import { AppError, NotFoundError, UnavailableError } from '../../platform/errors';

/** The queues panel cannot be shown: the job queue's backend failed or did not answer in time. */
export class QueuesUnavailableError extends UnavailableError {
  constructor(cause: unknown) {
    super('DASHBOARD.QUEUES_UNAVAILABLE', `The job queue cannot be read right now: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}

export class UnknownModuleError extends NotFoundError {
  constructor(module: string) {
    super('DASHBOARD.UNKNOWN_MODULE', `No extractable module is called "${module}".`);
  }
}

export class InvalidPlacementError extends AppError {
  constructor(message: string) {
    super('DASHBOARD.INVALID_PLACEMENT', message, 400);
  }
}

/** The flag backend can be read but not written from here (Unleash without an admin token). */
export class FlagsReadOnlyError extends AppError {
  constructor() {
    super('DASHBOARD.FLAGS_READ_ONLY', 'Placements cannot be written from here: UNLEASH_ADMIN_TOKEN is not set (move them with Unleash itself).', 503);
  }
}
