import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/platform/logger';

/** Shapes no log line may hold whatever the secret: Slack tokens and signed JWTs (service tokens, id_tokens). */
const SECRET_SHAPES = [/\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{6,}/, /\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/];

export interface LogScan {
  /** Logs at trace, through the production logger's redaction, into the scan. */
  logger: Logger;
  /** How many lines were written. */
  lines(): number;
  /** Lines holding a known secret or a secret's shape, each cut short and with the secret masked. */
  leaks(): string[];
}

/** The values of a configuration and a data directory's files that must never reach a log line. */
export function secretsOf(values: unknown[], dataDir?: string): string[] {
  const found = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.length >= 8) found.add(v);
    else if (Array.isArray(v)) v.forEach(add);
  };
  values.forEach(add);
  if (dataDir) {
    for (const name of readdirSync(dataDir)) {
      const path = join(dataDir, name);
      if (statSync(path).isFile()) add(readFileSync(path, 'utf8').trim());
    }
  }
  return [...found];
}

/**
 * A logger for a test harness that reads back every line, at the most verbose level, and
 * finds the secrets in it: the known ones (`secrets`, asked at each line so secrets made after
 * start-up count) and anything shaped like a Slack token or a JWT.
 */
export function scanLogs(secrets: () => string[]): LogScan {
  let written = 0;
  const leaks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      written += 1;
      const line = chunk.toString();
      const known = secrets().find((secret) => line.includes(secret));
      const shaped = SECRET_SHAPES.map((shape) => shape.exec(line)?.[0]).find(Boolean);
      const secret = known ?? shaped;
      if (secret) leaks.push(line.split(secret).join('<the secret>').slice(0, 400));
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', destination }), lines: () => written, leaks: () => [...leaks] };
}
