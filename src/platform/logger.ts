import pino, { type Logger } from 'pino';
import { currentContext } from './context';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  '*.token',
  '*.botToken',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.client_secret',
  '*.password',
  '*.secret',
  '*.signingSecret',
  'headers.authorization',
];

export interface LoggerOptions {
  level: string;
  name?: string;
  destination?: pino.DestinationStream;
}

export function createLogger({ level, name = 'jeeves', destination }: LoggerOptions): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The request id rides in AsyncLocalStorage so every line of a request or job carries it.
      mixin() {
        const ctx = currentContext();
        return ctx ? { requestId: ctx.requestId } : {};
      },
    },
    destination,
  );
}

/** One child logger per module, so every line says where it came from. */
export function moduleLogger(logger: Logger, module: string): Logger {
  return logger.child({ module });
}
