import { join } from 'node:path';
import { migrationsFor } from '../migrations';
import { allEntities } from '../src/infrastructure/tables';
import { loadConfig } from '../src/config';
import { createRoles } from '../src/modules/auth';
import { teamIdSchema, userIdSchema } from '../src/modules/users';
import { openDatabase } from '../src/platform/db/data-source';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres';
import { createLogger } from '../src/platform/logger';
import type { CliIo } from './cli';

export const OPERATOR_USAGE = 'operator <team id> <user id>   make that Slack member an operator (every workspace, every admin page)';

/**
 * `npm run admin -- operator T0123ABCD U0123ABCD`: names an operator from the command line,
 * which is how a deployment on the single-token shortcut (no install, so no installer) gets
 * its first admin. Uses DATABASE_URL, or the embedded PostgreSQL under JEEVES_DATA_DIR, and
 * brings its schema up to date as start-up does. Resolves with the exit code (2: bad usage).
 */
export async function runAdminOperator(io: CliIo, args: string[]): Promise<number> {
  if (args.length !== 2) {
    io.err(`usage: npm run admin -- ${OPERATOR_USAGE}`);
    return 2;
  }
  const team = teamIdSchema.safeParse(args[0]);
  const user = userIdSchema.safeParse(args[1]);
  if (!team.success || !user.success) {
    io.err(`error: ${!team.success ? `team id ${team.error.issues[0]!.message}` : `user id ${user.error!.issues[0]!.message}`}`);
    return 2;
  }
  const config = loadConfig(io.env);
  const logger = createLogger({ level: 'warn' });
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: join(config.JEEVES_DATA_DIR, 'pg'), logger });
  try {
    const dataSource = await openDatabase({ url: config.DATABASE_URL ?? embedded!.url, entities: allEntities(), migrations: migrationsFor() });
    try {
      const added = await createRoles(dataSource).grant({ teamId: team.data, userId: user.data, role: 'operator', grantedBy: 'command' });
      io.out(`${team.data}:${user.data} ${added ? 'is now an operator' : 'was an operator already'}`);
      return 0;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await embedded?.stop();
  }
}
