import { Client } from 'pg';
import { allEntities } from '../../src/infrastructure/tables';
import { migrationsFor } from '../../migrations';
import { openDatabase } from '../../src/platform/db/data-source';

/** A PostgreSQL database created for this run, migrated once, dropped at the end. */
export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(adminUrl: string, runId: string): Promise<ScratchDatabase> {
  const name = `jeeves_bench_${runId}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  try {
    // Migrated here, once: the children then open it concurrently with nothing left to apply.
    const dataSource = await openDatabase({ url: url.toString(), entities: allEntities(), migrations: migrationsFor() });
    await dataSource.destroy();
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  return { url: url.toString(), name, drop };
}
