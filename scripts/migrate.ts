import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { migrationsFor } from '../migrations';
import { ConfigError, loadConfig, type Config } from '../src/config';
import { createDataSource, type MigrationClass } from '../src/platform/db/data-source';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/platform/db/embedded-postgres';
import { createLogger } from '../src/platform/logger';
import { runAsCommand, type CliIo } from './cli';

/**
 * `npm run migrate` (in an image: `node dist/scripts/migrate.js`): applies every pending
 * migration to DATABASE_URL, or to the embedded database when it is unset, and exits.
 *
 * `--wait` applies nothing: it waits until every migration this build knows has been applied
 * by someone else (the release's migration Job), so the pods of a release start on a migrated
 * schema instead of racing each other to migrate it. `--wait-seconds N` bounds the wait (600).
 */
const USAGE = 'usage: npm run migrate [-- --wait [--wait-seconds N]]';
const POLL_MS = 2000;

interface Options {
  wait: boolean;
  waitSeconds: number;
}

function parseArgs(argv: string[]): Options | undefined {
  const options: Options = { wait: false, waitSeconds: 600 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--wait') options.wait = true;
    else if (arg === '--wait-seconds' && /^\d+$/.test(argv[i + 1] ?? '')) options.waitSeconds = Number(argv[(i += 1)]);
    else return undefined;
  }
  return options;
}

/** TypeORM names an applied migration by its `name`, else its class name. */
function nameOf(migration: MigrationClass): string {
  const instance = new migration() as { name?: string };
  return instance.name ?? migration.name;
}

/** Migrations not yet recorded as applied; reads only, so waiting processes never race the migrator. */
export async function pendingMigrations(dataSource: DataSource, migrations: MigrationClass[]): Promise<string[]> {
  const table = dataSource.driver.escape(String(dataSource.options.migrationsTableName ?? 'migrations'));
  const exists = (await dataSource.query(`SELECT to_regclass($1) AS t`, [table])) as Array<{ t: string | null }>;
  const applied = new Set<string>();
  if (exists[0]?.t) {
    for (const row of (await dataSource.query(`SELECT name FROM ${table}`)) as Array<{ name: string }>) applied.add(row.name);
  }
  return migrations.map(nameOf).filter((name) => !applied.has(name));
}

/** Polls with a connection of its own each time, so a database not up yet is waited for too. */
async function waitForMigrations(url: string, migrations: MigrationClass[], options: Options, io: CliIo): Promise<number> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  let last = '';
  for (;;) {
    const pending = await withDataSource(url, migrations, (dataSource) => pendingMigrations(dataSource, migrations)).catch(
      (err: unknown) => [`(cannot read the database: ${err instanceof Error ? err.message : String(err)})`],
    );
    if (pending.length === 0) {
      io.out('every migration is applied');
      return 0;
    }
    const line = `waiting for the migration job: ${pending.join(', ')}`;
    if (line !== last) io.out((last = line));
    if (Date.now() >= deadline) {
      io.err(`still pending after ${options.waitSeconds} s: ${pending.join(', ')}`);
      return 1;
    }
    await sleep(POLL_MS);
  }
}

async function withDataSource<T>(url: string, migrations: MigrationClass[], use: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = createDataSource({ url, entities: [], migrations, poolSize: 1 });
  await dataSource.initialize();
  try {
    return await use(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export async function runMigrateCli(io: CliIo): Promise<number> {
  const options = parseArgs(io.argv);
  if (!options) {
    io.err(USAGE);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`jeeves: invalid configuration: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'jeeves-migrate' });
  const migrations = migrationsFor();
  let embedded: EmbeddedDatabase | undefined;
  try {
    if (!config.DATABASE_URL) {
      embedded = await startEmbeddedPostgres({ dataDir: join(config.JEEVES_DATA_DIR, 'pg'), logger, joinOnly: options.wait });
    }
    const url = config.DATABASE_URL ?? embedded!.url;
    if (options.wait) return await waitForMigrations(url, migrations, options, io);
    const applied = await withDataSource(url, migrations, (dataSource) => dataSource.runMigrations({ transaction: 'each' }));
    io.out(applied.length === 0 ? 'nothing to migrate' : `applied ${applied.map((m) => m.name).join(', ')}`);
    return 0;
  } catch (err) {
    io.err(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await embedded?.stop();
  }
}

if (require.main === module) runAsCommand(runMigrateCli);
