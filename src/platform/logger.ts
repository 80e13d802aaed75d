import pino, { type Logger } from 'pino';
import { currentContext } from './context';
import { CENSOR, REDACTED_PATHS, scrubLogLine } from './log-redaction';
import { activeTraceIds } from './tracing/tracing';

export type { Logger } from 'pino';

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
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      // The net under the paths: secrets at any depth, in messages, stacks and URLs.
      hooks: { streamWrite: scrubLogLine },
      // The request id rides in AsyncLocalStorage so every line of a request or job carries it; with tracing on, so do the trace and span ids.
      mixin() {
        const ctx = currentContext();
        const ids = activeTraceIds();
        if (ids) return ctx ? { requestId: ctx.requestId, ...ids } : ids;
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
