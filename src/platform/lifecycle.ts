import { ConfigError } from '../config';
import type { Logger } from './logger';

/** A reason not to start that a person can act on: printed as one line, without a stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface Running {
  /** Stops taking work, finishes what is in flight, releases resources. */
  stop(): Promise<void>;
}

/** What stopping may take besides the jobs' grace period: closing servers, connections, the database. */
export const STOP_TEARDOWN_MS = 20_000;
const DEFAULT_STOP_WITHIN_MS = 30_000;

/**
 * Runs a process entrypoint: a configuration error ends it with one line naming the variable;
 * SIGTERM and SIGINT stop it gracefully (bounded), a second signal exits at once.
 */
export interface Started {
  running: Running;
  logger: Logger;
  /** After this long stopping, the process exits anyway (default 30 s). */
  stopWithinMs?: number;
}

export async function runProcess(name: string, start: () => Promise<Started>): Promise<void> {
  let started: Started;
  try {
    started = await start();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`jeeves: invalid configuration: ${err.message}\n`);
    } else if (err instanceof StartupError) {
      process.stderr.write(`jeeves: ${name} cannot start: ${err.message}\n`);
    } else {
      process.stderr.write(`jeeves: ${name} failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    }
    process.exit(1);
  }
  const { running, logger } = started;
  const stopWithinMs = started.stopWithinMs ?? DEFAULT_STOP_WITHIN_MS;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    const timer = setTimeout(() => {
      logger.error(`${name} did not stop within ${stopWithinMs} ms: exiting`);
      process.exit(1);
    }, stopWithinMs);
    timer.unref();
    running.stop().then(
      () => {
        logger.info(`${name} stopped`);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, `${name} failed to stop cleanly`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
