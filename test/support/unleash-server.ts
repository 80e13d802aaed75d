import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { describeNeeding } from './describe-needing';

/**
 * A real Unleash server (test/unleash, installed by `npm ci --prefix test/unleash`) started as
 * a child process on a free port, against a fresh database on the tests' PostgreSQL.
 * Without the package the suites are skipped with a loud banner, except under CI=true.
 */
export const UNLEASH_PACKAGE_DIR = join(__dirname, '..', 'unleash');
const READY_MARK = 'UNLEASH_READY ';
const BOOT_DEADLINE_MS = 150_000;

export function unleashServerInstalled(): boolean {
  return existsSync(join(UNLEASH_PACKAGE_DIR, 'node_modules', 'unleash-server', 'package.json'));
}

export function describeWithUnleash(name: string, body: () => void): void {
  const remedy = 'run `npm ci --prefix test/unleash` before the tests';
  describeNeeding(name, unleashServerInstalled() || undefined, { needs: 'the Unleash test server', state: 'not installed', remedy }, body);
}

export interface RunningUnleash {
  url: string;
  adminToken: string;
  apiToken: string;
  /** Kills the server at once (SIGKILL), as a crash would; the database stays. */
  kill(): Promise<void>;
  /** Starts it again after kill(), on the same port and database, as a supervisor would. */
  restart(): Promise<void>;
  /** Stops the server if it still runs and drops its database. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

async function adminQuery(sql: string): Promise<void> {
  const url = process.env.JEEVES_TEST_PG_ADMIN_URL;
  if (!url) throw new Error('JEEVES_TEST_PG_ADMIN_URL unset: run integration tests through jest (global setup).');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function waitForReady(child: ChildProcess, output: string[]): Promise<{ url: string }> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => fail(`not ready within ${BOOT_DEADLINE_MS / 1000} s`), BOOT_DEADLINE_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Unleash test server ${why}:\n${output.join('').slice(-4000)}`));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited (${signal ?? code}) before it was ready`);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith(READY_MARK));
      if (!line) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', onData);
      resolve(JSON.parse(line.slice(READY_MARK.length)) as { url: string });
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function startUnleashServer(): Promise<RunningUnleash> {
  const database = `jeeves_unleash_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${database}`);
  const databaseUrl = new URL(process.env.JEEVES_TEST_PG_ADMIN_URL!);
  databaseUrl.pathname = `/${database}`;
  const adminToken = `*:*.jeeves-test-admin-${randomBytes(8).toString('hex')}`;
  const apiToken = `default:development.jeeves-test-${randomBytes(8).toString('hex')}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl.toString(),
    PORT: String(await freePort()),
    UNLEASH_ADMIN_TOKEN: adminToken,
    UNLEASH_API_TOKEN: apiToken,
    UNLEASH_LOG_LEVEL: 'warn',
  };
  const dropDatabase = () => adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);

  let child: ChildProcess;
  const boot = async (): Promise<{ url: string }> => {
    const output: string[] = [];
    child = spawn(process.execPath, [join(UNLEASH_PACKAGE_DIR, 'start.mjs')], {
      cwd: UNLEASH_PACKAGE_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    try {
      return await waitForReady(child, output);
    } catch (err) {
      await exited(child);
      throw err;
    }
  };

  let ready: { url: string };
  try {
    ready = await boot();
  } catch (err) {
    await dropDatabase();
    throw err;
  }

  return {
    url: ready.url,
    adminToken,
    apiToken,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      await boot();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited(child);
        clearTimeout(killer);
      }
      await dropDatabase();
    },
  };
}
