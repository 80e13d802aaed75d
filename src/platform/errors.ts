import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from './logger';

/**
 * The one error type that crosses layers and the wire. `code` is prefixed by the module
 * (WEATHER.PLACE_NOT_FOUND); codes, not classes, travel between services.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 500,
    options: { cause?: unknown; details?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details;
  }
  readonly details: unknown;

  toJSON(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('HTTP.VALIDATION', message, 400, { details });
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 404);
  }
}

export class UnavailableError extends AppError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, 503, { cause });
  }
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

/** Turns anything thrown into an AppError, keeping the original as its cause. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    return new ValidationError(`${where}${first?.message ?? 'invalid input'}`, err.issues);
  }
  const e = (err ?? {}) as BodyParserError;
  switch (e.type) {
    case 'entity.parse.failed':
      return new AppError('HTTP.MALFORMED_JSON', 'The request body is not valid JSON.', 400, { cause: err });
    case 'entity.too.large':
      return new AppError('HTTP.PAYLOAD_TOO_LARGE', 'The request body is too large.', 413, { cause: err });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('HTTP.UNSUPPORTED_ENCODING', e.message ?? 'Unsupported encoding.', 415, { cause: err });
    default:
      break;
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    return new AppError('HTTP.BAD_REQUEST', e.message ?? 'Bad request.', e.status, { cause: err });
  }
  return new AppError('INTERNAL', 'Something went wrong on our side.', 500, { cause: err });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('HTTP.NOT_FOUND', `No route for ${req.method} ${req.path}.`, 404));
};

/** The one error middleware: JSON body of the contract, 5xx at error, 4xx at debug. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      logger.error({ err, code: appError.code, method: req.method, path: req.path }, appError.message);
    } else {
      logger.debug({ code: appError.code, method: req.method, path: req.path }, appError.message);
    }
    if (res.headersSent) {
      next(err);
      return;
    }
    res.status(appError.status).json(appError.toJSON());
  };
}
