import type { DataSource } from 'typeorm';
import type { Logger } from '../../platform/logger';
import { decodeCursor, encodeCursor } from './users.cursor';
import type { UserProfileRow } from './users.entity';
import { UserNotFoundError } from './users.errors';
import { createUsersRepository, type UsersRepository } from './users.repository';
import { DEFAULT_PAGE_SIZE, getOrCreateInitSchema, listQuerySchema, parseInput, settingValueSchema, userLocationSchema, userRefSchema } from './users.schemas';
import { parseSetting, settingFor } from './users.settings';
import type { UserProfile, UserRef, UsersService } from './users.types';

export interface UsersServiceDependencies {
  dataSource: DataSource;
  /** Give it the module's logger (moduleLogger(logger, 'users')). */
  logger: Logger;
}

/** The in-process users module over PostgreSQL. */
export function createUsersService({ dataSource, logger }: UsersServiceDependencies): UsersService {
  return usersServiceOver(createUsersRepository(dataSource), logger);
}

/** Plain data only: a caller (or the wire) never sees a row. */
function toProfile(row: UserProfileRow): UserProfile {
  const { locationName: name, locationLatitude: latitude, locationLongitude: longitude, locationTimezone: timezone } = row;
  return {
    teamId: row.teamId,
    userId: row.userId,
    displayName: row.displayName,
    location: name !== null && latitude !== null && longitude !== null && timezone !== null ? { name, latitude, longitude, timezone } : null,
    settings: { ...row.settings },
    isAdmin: row.isAdmin,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The rules of the module over any repository: PostgreSQL here, memory in the fake. */
export function usersServiceOver(repository: UsersRepository, logger: Logger): UsersService {
  const refOf = (ref: UserRef): UserRef => parseInput(userRefSchema, ref);

  return {
    async getOrCreate(ref, init = {}) {
      const user = refOf(ref);
      const { displayName } = parseInput(getOrCreateInitSchema, init);
      // Reading first keeps the common case (a member Jeeves knows) to one query and no write.
      const existing = await repository.find(user);
      if (existing) return toProfile(existing);
      const created = await repository.insertIfAbsent(user, displayName ?? null);
      if (created) {
        logger.info(user, 'user created');
        return toProfile(created);
      }
      // A concurrent call created the member between our read and our insert.
      const winner = await repository.find(user);
      if (!winner) throw new Error(`users_profiles: ${user.teamId}/${user.userId} conflicted on insert but cannot be read`);
      return toProfile(winner);
    },

    async get(ref) {
      const user = refOf(ref);
      const row = await repository.find(user);
      if (!row) throw new UserNotFoundError(user);
      return toProfile(row);
    },

    async setLocation(ref, location) {
      const user = refOf(ref);
      const row = await repository.upsertLocation(user, parseInput(userLocationSchema, location));
      logger.debug(user, 'location set');
      return toProfile(row);
    },

    async unsetLocation(ref) {
      const user = refOf(ref);
      const cleared = await repository.clearLocation(user);
      if (cleared) logger.debug(user, 'location unset');
      return cleared;
    },

    async getSetting(ref, key) {
      const user = refOf(ref);
      const setting = settingFor(key);
      const row = await repository.find(user);
      return row && Object.hasOwn(row.settings, setting.key) ? (row.settings[setting.key] ?? null) : null;
    },

    async setSetting(ref, key, value) {
      const user = refOf(ref);
      const setting = parseSetting(key, parseInput(settingValueSchema, value));
      const row = await repository.mergeSetting(user, setting.key, setting.value);
      logger.debug({ ...user, key: setting.key }, 'setting set');
      return toProfile(row);
    },

    async unsetSetting(ref, key) {
      const user = refOf(ref);
      const setting = settingFor(key);
      const removed = await repository.removeSetting(user, setting.key);
      if (removed) logger.debug({ ...user, key: setting.key }, 'setting unset');
      return removed;
    },

    async listSettings(ref) {
      const row = await repository.find(refOf(ref));
      return row ? { ...row.settings } : {};
    },

    async forget(ref) {
      const user = refOf(ref);
      const removed = await repository.remove(user);
      if (removed) logger.info(user, 'user forgotten');
      return removed;
    },

    async list(page = {}) {
      const { limit = DEFAULT_PAGE_SIZE, cursor, teamId, q } = parseInput(listQuerySchema, page);
      const after = cursor ? decodeCursor(cursor) : null;
      // One row more than asked says whether another page follows.
      const rows = await repository.listAfter(after, limit + 1, { teamId, q });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items: items.map(toProfile), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },
  };
}
