import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/platform/logger';

/** A real pino logger (at info unless told) whose lines the test reads back. */
export function captureLogs(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}
