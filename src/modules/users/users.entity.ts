import { EntitySchema } from 'typeorm';

/** One row of users_profiles, as the repository reads it. Never leaves the module. */
export interface UserProfileRow {
  id: string;
  teamId: string;
  userId: string;
  displayName: string | null;
  locationName: string | null;
  locationLatitude: number | null;
  locationLongitude: number | null;
  locationTimezone: string | null;
  settings: Record<string, string>;
  isAdmin: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Mirrors the migration exactly (a test compares them), so TypeORM never wants to change the table. */
export const UserProfileEntity = new EntitySchema<UserProfileRow>({
  name: 'UserProfile',
  tableName: 'users_profiles',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    teamId: { name: 'team_id', type: 'text' },
    userId: { name: 'user_id', type: 'text' },
    displayName: { name: 'display_name', type: 'text', nullable: true },
    locationName: { name: 'location_name', type: 'text', nullable: true },
    locationLatitude: { name: 'location_latitude', type: 'double precision', nullable: true },
    locationLongitude: { name: 'location_longitude', type: 'double precision', nullable: true },
    locationTimezone: { name: 'location_timezone', type: 'text', nullable: true },
    settings: { type: 'jsonb', default: () => "'{}'" },
    isAdmin: { name: 'is_admin', type: 'boolean', default: false },
    // Millisecond precision, so that a JavaScript Date (and so a paging cursor) holds it exactly.
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', precision: 3, updateDate: true },
  },
  uniques: [{ name: 'users_profiles_team_user_key', columns: ['teamId', 'userId'] }],
  indices: [{ name: 'users_profiles_created_at_id_idx', columns: ['createdAt', 'id'] }],
  checks: [
    {
      name: 'users_profiles_location_complete',
      expression: 'num_nulls(location_name, location_latitude, location_longitude, location_timezone) IN (0, 4)',
    },
    { name: 'users_profiles_settings_object', expression: "jsonb_typeof(settings) = 'object'" },
  ],
});

export const usersEntities: EntitySchema[] = [UserProfileEntity];
