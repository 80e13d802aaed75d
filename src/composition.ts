import type { EntitySchema } from 'typeorm';

/** Every module's tables, for the monolith's DataSource. */
export function allEntities(): EntitySchema[] {
  return [];
}
