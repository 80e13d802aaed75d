import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

export interface DatabaseOptions {
  url: string;
  entities: EntitySchema[];
  migrations: MigrationClass[];
  /** Pool size per process. */
  poolSize?: number;
}

export function createDataSource({ url, entities, migrations, poolSize = 10 }: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'jeeves_migrations',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
  });
}

/** Connects and applies pending migrations (each in its own transaction). */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

export async function pingDatabase(dataSource: DataSource): Promise<void> {
  if (!dataSource.isInitialized) throw new Error('not connected');
  await dataSource.query('SELECT 1');
}
