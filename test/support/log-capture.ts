import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/platform/logger';

/** A real pino logger at info whose lines the test reads back. */
export function captureLogs(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}
