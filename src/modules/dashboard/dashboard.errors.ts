import { AppError, NotFoundError } from '../../platform/errors';

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
