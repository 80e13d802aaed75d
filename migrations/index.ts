import type { MigrationClass } from '../src/platform/db/data-source';

/**
 * Every migration, grouped by the module that owns the tables, in the order they apply.
 * An extracted service runs only its own module's list against its own database.
 */
export const migrationsByModule: Record<string, MigrationClass[]> = {};

export function migrationsFor(modules: string[] = Object.keys(migrationsByModule)): MigrationClass[] {
  return modules.flatMap((m) => migrationsByModule[m] ?? []);
}
