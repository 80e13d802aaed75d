import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The users module's one table: a profile per Slack team + user. */
export class UsersCreateProfiles1795218363537 implements MigrationInterface {
  name = 'UsersCreateProfiles1795218363537';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users_profiles (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        team_id text NOT NULL,
        user_id text NOT NULL,
        display_name text,
        location_name text,
        location_latitude double precision,
        location_longitude double precision,
        location_timezone text,
        settings jsonb NOT NULL DEFAULT '{}',
        is_admin boolean NOT NULL DEFAULT false,
        -- Millisecond precision: a JavaScript Date, and so a paging cursor, holds it exactly.
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT users_profiles_pkey PRIMARY KEY (id),
        CONSTRAINT users_profiles_team_user_key UNIQUE (team_id, user_id),
        -- A location is all four fields or none.
        CONSTRAINT users_profiles_location_complete
          CHECK (num_nulls(location_name, location_latitude, location_longitude, location_timezone) IN (0, 4)),
        CONSTRAINT users_profiles_settings_object CHECK (jsonb_typeof(settings) = 'object')
      )`);
    // Keyset paging walks (created_at, id).
    await queryRunner.query(`CREATE INDEX users_profiles_created_at_id_idx ON users_profiles (created_at, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE users_profiles`);
  }
}
