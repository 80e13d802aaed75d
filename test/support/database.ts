import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { allEntities } from '../../src/infrastructure/tables';
import { createDataSource } from '../../src/platform/db/data-source';

/** A fresh database per suite, copied from the migrated template. */
export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

function admin(): Client {
  const url = process.env.JEEVES_TEST_PG_ADMIN_URL;
  if (!url) throw new Error('JEEVES_TEST_PG_ADMIN_URL unset: run integration tests through jest (global setup).');
  return new Client({ connectionString: url });
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `jeeves_t_${randomBytes(6).toString('hex')}`;
  const client = admin();
  await client.connect();
  await client.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.JEEVES_TEST_PG_TEMPLATE}`);
  await client.end();
  const url = new URL(process.env.JEEVES_TEST_PG_ADMIN_URL!);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), entities: allEntities(), migrations: [], poolSize: 5 });
  await dataSource.initialize();
  return {
    url: url.toString(),
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      const c = admin();
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
