import { randomUUID } from 'node:crypto';
import type { PagePosition } from './users.cursor';
import type { UserProfileRow } from './users.entity';
import type { UsersRepository } from './users.repository';
import type { UserRef } from './users.types';

const keyOf = ({ teamId, userId }: UserRef) => `${teamId}:${userId}`;

/** (createdAt, id) order, as PostgreSQL sorts it: uuids compare like their lowercase hex. */
function compare(a: PagePosition, b: PagePosition): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The repository in memory, for the fake service: same contract, no database. */
export function createMemoryUsersRepository(): UsersRepository {
  const rows = new Map<string, UserProfileRow>();
  // Callers get copies, as they would from a database: mutating one changes nothing stored.
  const copy = (row: UserProfileRow): UserProfileRow => structuredClone(row);

  function create(ref: UserRef): UserProfileRow {
    const now = new Date();
    const row: UserProfileRow = {
      id: randomUUID(),
      teamId: ref.teamId,
      userId: ref.userId,
      displayName: null,
      locationName: null,
      locationLatitude: null,
      locationLongitude: null,
      locationTimezone: null,
      settings: {},
      isAdmin: false,
      createdAt: now,
      updatedAt: now,
    };
    rows.set(keyOf(ref), row);
    return row;
  }

  function update(ref: UserRef, change: (row: UserProfileRow) => void): UserProfileRow {
    const row = rows.get(keyOf(ref)) ?? create(ref);
    change(row);
    row.updatedAt = new Date();
    return copy(row);
  }

  return {
    find: async (ref) => {
      const row = rows.get(keyOf(ref));
      return row ? copy(row) : null;
    },
    insertIfAbsent: async (ref, displayName) => {
      if (rows.has(keyOf(ref))) return null;
      const row = create(ref);
      row.displayName = displayName;
      return copy(row);
    },
    upsertLocation: async (ref, location) =>
      update(ref, (row) => {
        row.locationName = location.name;
        row.locationLatitude = location.latitude;
        row.locationLongitude = location.longitude;
        row.locationTimezone = location.timezone;
      }),
    clearLocation: async (ref) => {
      if (rows.get(keyOf(ref))?.locationName == null) return false;
      update(ref, (row) => {
        row.locationName = row.locationLatitude = row.locationLongitude = row.locationTimezone = null;
      });
      return true;
    },
    mergeSetting: async (ref, key, value) =>
      update(ref, (row) => {
        row.settings = { ...row.settings, [key]: value };
      }),
    removeSetting: async (ref, key) => {
      const row = rows.get(keyOf(ref));
      if (!row || !Object.hasOwn(row.settings, key)) return false;
      update(ref, (r) => {
        const { [key]: _removed, ...rest } = r.settings;
        r.settings = rest;
      });
      return true;
    },
    remove: async (ref) => rows.delete(keyOf(ref)),
    listAfter: async (after, limit, filter = {}) =>
      [...rows.values()]
        .filter((row) => after === null || compare(row, after) > 0)
        .filter((row) => !filter.teamId || row.teamId === filter.teamId)
        .filter((row) => !filter.q || [row.displayName ?? '', row.userId].some((text) => text.toLowerCase().includes(filter.q!.toLowerCase())))
        .sort(compare)
        .slice(0, limit)
        .map(copy),
  };
}
