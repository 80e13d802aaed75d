import type { DataSource, EntitySchema } from 'typeorm';
import type { Config } from '../src/config';
import type { Logger } from '../src/platform/logger';
import type { CliIo } from './cli';

/** What each `npm run admin` command is, and what it is given. */
export interface AdminContext {
  io: CliIo;
  config: Config;
  logger: Logger;
  /** A connection with these tables, closed when the command ends. */
  database(entities: EntitySchema[]): Promise<DataSource>;
}

export interface AdminCommand {
  usage: string;
  summary: string;
  /** Resolves with the exit code. */
  run(args: string[], context: AdminContext): Promise<number>;
}

/** Bad usage: exit code 2. */
export class UsageError extends Error {}
