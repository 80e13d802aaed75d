import type { DataSource } from 'typeorm';
import type { PagePosition } from './users.cursor';
import { UserProfileEntity, type UserProfileRow } from './users.entity';
import type { UserLocation, UserRef } from './users.types';

/** Storage for profiles. Each write is one atomic statement, so concurrent calls never lose an update. */
/** `q` matches the display name or the user id, ignoring case. */
export interface ListFilter {
  teamId?: string | undefined;
  q?: string | undefined;
}

/** `q` as a LIKE pattern that matches its text literally. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface UsersRepository {
  find(ref: UserRef): Promise<UserProfileRow | null>;
  /** Creates the profile unless it exists; null when it already did. */
  insertIfAbsent(ref: UserRef, displayName: string | null): Promise<UserProfileRow | null>;
  /** Sets the location, creating the profile if needed. */
  upsertLocation(ref: UserRef, location: UserLocation): Promise<UserProfileRow>;
  /** Whether there was a location to clear. */
  clearLocation(ref: UserRef): Promise<boolean>;
  /** Sets one setting, keeping the others, creating the profile if needed. */
  mergeSetting(ref: UserRef, key: string, value: string): Promise<UserProfileRow>;
  /** Whether the setting was there to remove. */
  removeSetting(ref: UserRef, key: string): Promise<boolean>;
  /** Profiles in (createdAt, id) order, strictly after `after`, that pass `filter`. */
  listAfter(after: PagePosition | null, limit: number, filter?: ListFilter): Promise<UserProfileRow[]>;
  /** Whether there was a profile to delete. */
  remove(ref: UserRef): Promise<boolean>;
}

// Raw statements answer with the entity's property names, like TypeORM's own reads do.
const RETURNING = Object.entries(UserProfileEntity.options.columns)
  .map(([property, column]) => `${column?.name ?? property} AS "${property}"`)
  .join(', ');

export function createUsersRepository(dataSource: DataSource): UsersRepository {
  const profiles = dataSource.getRepository(UserProfileEntity);

  /** TypeORM's plain query() answers UPDATEs as [rows, count]; the structured result does not. */
  async function rows(sql: string, parameters: unknown[]): Promise<UserProfileRow[]> {
    const runner = dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, parameters, true);
      return result.records as UserProfileRow[];
    } finally {
      await runner.release();
    }
  }

  async function one(sql: string, parameters: unknown[]): Promise<UserProfileRow> {
    const [row] = await rows(sql, parameters);
    if (!row) throw new Error('users_profiles: an upsert returned no row');
    return row;
  }

  return {
    // Plain SQL, not findOneBy: getOrCreate reads the profile on every message the bot answers (bench/README.md).
    async find({ teamId, userId }) {
      const [row] = (await dataSource.query(`SELECT ${RETURNING} FROM users_profiles WHERE team_id = $1 AND user_id = $2`, [teamId, userId])) as UserProfileRow[];
      return row ?? null;
    },

    async insertIfAbsent({ teamId, userId }, displayName) {
      // DO NOTHING waits for a concurrent insert of the same user to commit, so the caller's next read finds it.
      const [row] = await rows(
        `INSERT INTO users_profiles (team_id, user_id, display_name) VALUES ($1, $2, $3)
         ON CONFLICT (team_id, user_id) DO NOTHING RETURNING ${RETURNING}`,
        [teamId, userId, displayName],
      );
      return row ?? null;
    },

    upsertLocation: ({ teamId, userId }, { name, latitude, longitude, timezone }) =>
      one(
        `INSERT INTO users_profiles (team_id, user_id, location_name, location_latitude, location_longitude, location_timezone)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (team_id, user_id) DO UPDATE SET
           location_name = EXCLUDED.location_name, location_latitude = EXCLUDED.location_latitude,
           location_longitude = EXCLUDED.location_longitude, location_timezone = EXCLUDED.location_timezone,
           updated_at = now()
         RETURNING ${RETURNING}`,
        [teamId, userId, name, latitude, longitude, timezone],
      ),

    async clearLocation({ teamId, userId }) {
      const cleared = await rows(
        `UPDATE users_profiles SET location_name = NULL, location_latitude = NULL, location_longitude = NULL, location_timezone = NULL, updated_at = now()
         WHERE team_id = $1 AND user_id = $2 AND location_name IS NOT NULL RETURNING id`,
        [teamId, userId],
      );
      return cleared.length > 0;
    },

    mergeSetting: ({ teamId, userId }, key, value) =>
      one(
        `INSERT INTO users_profiles (team_id, user_id, settings) VALUES ($1, $2, jsonb_build_object($3::text, $4::text))
         ON CONFLICT (team_id, user_id) DO UPDATE SET settings = users_profiles.settings || EXCLUDED.settings, updated_at = now()
         RETURNING ${RETURNING}`,
        [teamId, userId, key, value],
      ),

    async removeSetting({ teamId, userId }, key) {
      const removed = await rows(
        `UPDATE users_profiles SET settings = settings - $3::text, updated_at = now()
         WHERE team_id = $1 AND user_id = $2 AND settings ? $3::text RETURNING id`,
        [teamId, userId, key],
      );
      return removed.length > 0;
    },

    async remove({ teamId, userId }) {
      const removed = await rows(`DELETE FROM users_profiles WHERE team_id = $1 AND user_id = $2 RETURNING id`, [teamId, userId]);
      return removed.length > 0;
    },

    listAfter(after, limit, filter = {}) {
      const query = profiles.createQueryBuilder('p').where('TRUE').orderBy('p.createdAt', 'ASC').addOrderBy('p.id', 'ASC').limit(limit);
      if (after) query.andWhere('(p.createdAt, p.id) > (:createdAt, :id)', after);
      if (filter.teamId) query.andWhere('p.teamId = :teamId', { teamId: filter.teamId });
      if (filter.q) query.andWhere('(p.displayName ILIKE :q OR p.userId ILIKE :q)', { q: likePattern(filter.q) });
      return query.getMany();
    },
  };
}
