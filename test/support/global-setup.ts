import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { allEntities } from '../../src/infrastructure/tables';
import { migrationsFor } from '../../migrations';
import { openDatabase } from '../../src/platform/db/data-source';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres';
import { createLogger } from '../../src/platform/logger';

/**
 * Finds PostgreSQL (TEST_DATABASE_URL, else an embedded one started for this run) and Redis
 * (TEST_REDIS_URL, else 127.0.0.1:6379 when it answers), and migrates a template database
 * that every suite copies. What it found reaches the test workers through the environment.
 */
declare global {
  // The one way Jest hands state from global setup to global teardown.
  var __JEEVES_TEST_STOP__: (() => Promise<void>) | undefined;
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export default async function globalSetup(): Promise<void> {
  const logger = createLogger({ level: 'warn' });
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'jeeves-test-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir, logger, database: 'postgres' });
    adminUrl = embedded.url;
    globalThis.__JEEVES_TEST_STOP__ = embedded.stop;
    process.stdout.write(`\n[jeeves tests] TEST_DATABASE_URL unset: using an embedded PostgreSQL (${dataDir}).\n`);
  }
  const template = `jeeves_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  const ds = await openDatabase({ url: templateUrl.toString(), entities: allEntities(), migrations: migrationsFor() });
  await ds.destroy();
  process.env.JEEVES_TEST_PG_ADMIN_URL = adminUrl;
  process.env.JEEVES_TEST_PG_TEMPLATE = template;

  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisOk = await redisAnswers(redisUrl);
  process.env.JEEVES_TEST_REDIS_URL = redisOk ? redisUrl : '';
  if (!redisOk) {
    const banner = `REDIS UNREACHABLE at ${redisUrl}: every Redis-backed test is SKIPPED in this run`;
    process.stdout.write(`\n${'!'.repeat(banner.length)}\n${banner}\n${'!'.repeat(banner.length)}\n`);
  }
}
