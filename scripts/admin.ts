import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { EntitySchema } from 'typeorm';
import { migrationsFor } from '../migrations';
import { loadConfig } from '../src/config';
import { createWorkspaces, workspacesEntities } from '../src/modules/workspaces';
import { resolveEncryptionKeyring } from '../src/platform/crypto';
import { openDatabase } from '../src/platform/db/data-source';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres';
import { createLogger } from '../src/platform/logger';
import { operatorCommand } from './admin-operator';
import { UsageError, type AdminCommand } from './admin-command';
import { runAsCommand, type CliIo } from './cli';

/**
 * `npm run admin -- <command>`: what a maintainer does to a deployment by hand, against
 * DATABASE_URL (or the embedded database under JEEVES_DATA_DIR) with the deployment's own
 * environment. Each command is an entry of COMMANDS.
 */
const COMMANDS: Record<string, AdminCommand> = {
  operator: operatorCommand,
  'reencrypt-tokens': {
    usage: 'reencrypt-tokens',
    summary: 'seal every stored workspace token with the first TOKEN_ENCRYPTION_KEY, so older keys can be removed',
    async run(args, { io, config, logger, database }) {
      if (args.length > 0) throw new UsageError('usage: npm run admin -- reencrypt-tokens');
      const { keyring } = await resolveEncryptionKeyring({ configured: config.TOKEN_ENCRYPTION_KEY, dataDir: config.JEEVES_DATA_DIR, logger });
      const workspaces = createWorkspaces({
        dataSource: await database(workspacesEntities),
        keyring,
        slackApiUrl: config.SLACK_API_URL,
        oauthUrl: config.SLACK_OAUTH_URL,
        publicUrl: config.PUBLIC_URL,
        logger,
      });
      const report = await workspaces.reencryptTokens();
      io.out(`${report.checked} workspace${report.checked === 1 ? '' : 's'} with tokens; ${report.resealed} re-encrypted with key ${keyring.currentKeyId}`);
      if (report.unreadable.length === 0) return 0;
      io.err(`error: no configured key opens the tokens of ${report.unreadable.join(', ')}: add the key that sealed them to TOKEN_ENCRYPTION_KEY (after the current one) and run this again`);
      return 1;
    },
  },
};

const USAGE = [
  'usage: npm run admin -- <command>',
  ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(30)}${c.summary}`),
  'Runs against DATABASE_URL (or the embedded database in JEEVES_DATA_DIR) with this environment.',
].join('\n');

function logLines(io: CliIo): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') io.err(line);
      done();
    },
  });
}

/** Runs one command; resolves with the process exit code (0 ok, 1 failed, 2 bad usage). */
export async function runAdminCli(io: CliIo): Promise<number> {
  const [name, ...args] = io.argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`error: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  const releases: Array<() => Promise<void>> = [];
  try {
    const config = loadConfig(io.env);
    const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, name: 'jeeves-admin', destination: logLines(io) });
    const database = async (entities: EntitySchema[]) => {
      let url = config.DATABASE_URL;
      if (!url) {
        const embedded = await startEmbeddedPostgres({ dataDir: join(config.JEEVES_DATA_DIR, 'pg'), logger });
        releases.push(embedded.stop);
        url = embedded.url;
      }
      // Migrated first, as a start-up would: a command may be the first thing run on a new database.
      const dataSource = await openDatabase({ url, entities, migrations: migrationsFor(), poolSize: 2 });
      releases.push(() => dataSource.destroy());
      return dataSource;
    };
    return await command.run(args, { io, config, logger, database });
  } catch (err) {
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    for (const release of releases.reverse()) await release().catch(() => undefined);
  }
}

if (require.main === module) runAsCommand(runAdminCli);
