import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Redis from 'ioredis';
import { Client } from 'pg';
import { migrationsFor } from '../../migrations';
import { allEntities } from '../../src/infrastructure/tables';
import { openDatabase } from '../../src/platform/db/data-source';
import { freePort } from '../../src/platform/db/embedded-postgres';
import { createUnleashFlagAdmin, type FlagAdmin } from '../../src/platform/flags';
import { answers200, supervise, type Supervised } from './supervised';

/**
 * The chaos run's deployment: separate processes on this machine, each with a directory and
 * port of its own, sharing only PostgreSQL (a database the run creates), a Redis of its own
 * (one node, append-only file) and a real Unleash server.
 */

const ROOT = join(__dirname, '..', '..');
const UNLEASH_DIR = join(ROOT, 'test', 'unleash');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export const SIGNING_SECRET = `chaos-signing-${randomBytes(12).toString('hex')}`;

export type JeevesRole = 'web-1' | 'web-2' | 'worker-events' | 'worker-deliveries' | 'users' | 'weather';

export interface Deployment {
  redis: Supervised;
  unleash: Supervised;
  processes: Record<JeevesRole, Supervised>;
  webUrls: Record<'web-1' | 'web-2', string>;
  serviceUrls: Record<'users' | 'weather', string>;
  redisUrl: string;
  queuePrefix: string;
  databaseUrl: string;
  /** The databases the run created (and close() drops). */
  databases: string[];
  flags: FlagAdmin;
  /** Where each process's log is. */
  logDir: string;
  /** Stops every process (SIGKILL), drops the databases, removes the directories. Safe to call twice. */
  close(): Promise<void>;
}

export interface DeploymentOptions {
  /** An administrative PostgreSQL URL; the run creates its databases there and drops them after. */
  adminDatabaseUrl: string;
  slackApiUrl: string;
  slackBotToken: string;
  forecastUrl: string;
  geocodingUrl: string;
  logDir: string;
  say: (line: string) => void;
}

export function unleashInstalled(): boolean {
  return existsSync(join(UNLEASH_DIR, 'node_modules', 'unleash-server', 'package.json'));
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    // Loading the append-only file answers LOADING; ready means it took the whole file back.
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A Kubernetes Service in front of the web processes: each request to the next one that answers. */
function startWebService(targets: () => string[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const urls = targets();
      const attempt = (left: number) => {
        if (left === 0 || urls.length === 0) {
          res.writeHead(502).end();
          return;
        }
        const target = new URL(req.url ?? '/', urls[next++ % urls.length]);
        const upstream = request(target, { method: req.method, headers: req.headers, timeout: 2000 }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
        upstream.on('error', () => {
          if (!res.headersSent) attempt(left - 1);
        });
        upstream.end(Buffer.concat(chunks));
      };
      attempt(urls.length);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    resolve({ url: `http://127.0.0.1:${port}`, server });
  }));
}

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const { adminDatabaseUrl, logDir, say } = options;
  const run = `chaos_${process.pid}_${randomBytes(3).toString('hex')}`;
  const root = mkdtempSync(join(tmpdir(), 'jeeves-chaos-'));
  const cleanups: Array<() => Promise<void>> = [];
  const everything: Supervised[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.all(everything.map((p) => p.close()));
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => say(`cleanup: ${String(err)}`));
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  };

  try {
    // PostgreSQL: one database for Jeeves, one that Unleash migrates for itself.
    const jeevesDb = run;
    const unleashDb = `${run}_unleash`;
    await adminQuery(adminDatabaseUrl, `CREATE DATABASE ${jeevesDb}`);
    cleanups.push(() => adminQuery(adminDatabaseUrl, `DROP DATABASE IF EXISTS ${jeevesDb} WITH (FORCE)`));
    await adminQuery(adminDatabaseUrl, `CREATE DATABASE ${unleashDb}`);
    cleanups.push(() => adminQuery(adminDatabaseUrl, `DROP DATABASE IF EXISTS ${unleashDb} WITH (FORCE)`));
    const jeevesDbUrl = databaseUrl(adminDatabaseUrl, jeevesDb);

    // Redis: a node of its own, append-only, on a free port.
    const redisPort = await freePort();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const redis = supervise({
      name: 'redis',
      command: 'redis-server',
      args: ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', join(root, 'redis'), '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'],
      env: { PATH: process.env.PATH ?? '' },
      dir: join(root, 'redis'),
      logDir,
      ready: () => redisAnswers(redisUrl),
      readyTimeoutMs: 20_000,
    });
    everything.push(redis);

    const unleashPort = await freePort();
    const unleashUrl = `http://127.0.0.1:${unleashPort}`;
    const unleashAdminToken = `*:*.chaos-admin-${randomBytes(8).toString('hex')}`;
    const unleashApiToken = `default:development.chaos-${randomBytes(8).toString('hex')}`;
    const unleash = supervise({
      name: 'unleash',
      command: process.execPath,
      args: [join(UNLEASH_DIR, 'start.mjs')],
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl(adminDatabaseUrl, unleashDb),
        PORT: String(unleashPort),
        UNLEASH_ADMIN_TOKEN: unleashAdminToken,
        UNLEASH_API_TOKEN: unleashApiToken,
        UNLEASH_LOG_LEVEL: 'warn',
      },
      dir: join(root, 'unleash'),
      logDir,
      ready: () => answers200(`${unleashUrl}/health`),
      readyTimeoutMs: 180_000,
    });
    everything.push(unleash);

    say('starting PostgreSQL schema, Redis and Unleash');
    const migrated = openDatabase({ url: jeevesDbUrl, entities: allEntities(), migrations: migrationsFor() }).then((ds) => ds.destroy());
    await Promise.all([redis.start(), unleash.start(), migrated]);

    const flags = createUnleashFlagAdmin({ url: unleashUrl, adminToken: unleashAdminToken });
    // The users module out, weather in-process: the run moves weather.
    await flags.setRollout('users-remote', 100);
    await flags.setRollout('weather-remote', 0);

    const ports = {
      'web-1': await freePort(),
      'web-2': await freePort(),
      'worker-events': await freePort(),
      'worker-deliveries': await freePort(),
      users: await freePort(),
      weather: await freePort(),
    } satisfies Record<JeevesRole, number>;
    const url = (role: JeevesRole) => `http://127.0.0.1:${ports[role]}`;
    const webUrls = { 'web-1': url('web-1'), 'web-2': url('web-2') };
    const serviceUrls = { users: url('users'), weather: url('weather') };

    const processes = {} as Record<JeevesRole, Supervised>;
    const web = await startWebService(() => (['web-1', 'web-2'] as const).filter((role) => processes[role]?.running()).map((role) => webUrls[role]));
    cleanups.push(() => new Promise<void>((resolve) => {
      web.server.closeAllConnections();
      web.server.close(() => resolve());
    }));

    const shared: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: jeevesDbUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: 'chaos',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: options.slackBotToken,
      SLACK_API_URL: options.slackApiUrl,
      WEATHER_API_URL: options.forecastUrl,
      GEOCODING_API_URL: options.geocodingUrl,
      UNLEASH_URL: unleashUrl,
      UNLEASH_API_TOKEN: unleashApiToken,
      FLAGS_REFRESH_MS: '500',
      SESSION_SECRET: randomBytes(24).toString('hex'),
      SERVICE_CLIENT_SECRET: randomBytes(24).toString('hex'),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      USERS_SERVICE_URL: serviceUrls.users,
      WEATHER_SERVICE_URL: serviceUrls.weather,
      // The services fetch their verification keys from whichever web process answers.
      JEEVES_URL: web.url,
      SHUTDOWN_DRAIN_MS: '2000',
      SHUTDOWN_GRACE_MS: '8000',
    };
    const jeeves = (role: JeevesRole, entry: string, args: string[], env: Record<string, string>) =>
      supervise({
        name: role,
        command: process.execPath,
        args: ['--import', TSX_LOADER, join(ROOT, entry), ...args],
        env: { ...shared, PORT: String(ports[role]), JEEVES_DATA_DIR: join(root, role, '.jeeves'), PUBLIC_URL: url(role), ...env },
        dir: join(root, role),
        logDir,
        ready: () => answers200(`${url(role)}/readyz`),
        readyTimeoutMs: 90_000,
      });
    processes['web-1'] = jeeves('web-1', 'src/processes/main.ts', [], { WORKER_QUEUES: 'none' });
    processes['web-2'] = jeeves('web-2', 'src/processes/main.ts', [], { WORKER_QUEUES: 'none' });
    processes['worker-events'] = jeeves('worker-events', 'src/processes/worker.ts', [], { WORKER_QUEUES: 'slack-events' });
    processes['worker-deliveries'] = jeeves('worker-deliveries', 'src/processes/worker.ts', [], { WORKER_QUEUES: 'slack-deliveries,reminders,alerts' });
    processes.users = jeeves('users', 'src/processes/service.ts', ['users'], {});
    processes.weather = jeeves('weather', 'src/processes/service.ts', ['weather'], {});
    everything.push(...Object.values(processes));

    say('starting 2 web processes, 2 worker pools, the users and weather services');
    // The first web process registers the service client and the signing key; the rest join it.
    await processes['web-1'].start();
    await Promise.all((['web-2', 'worker-events', 'worker-deliveries', 'users', 'weather'] as const).map((role) => processes[role].start()));

    return { redis, unleash, processes, webUrls, serviceUrls, redisUrl, queuePrefix: 'chaos', databaseUrl: jeevesDbUrl, databases: [jeevesDb, unleashDb], flags, logDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}
