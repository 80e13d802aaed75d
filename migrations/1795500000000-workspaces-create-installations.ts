import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workspaces module's tables: one installation per Slack workspace (its tokens sealed with
 * the TOKEN_ENCRYPTION_KEY keyring) and the single-use `state` values of "Add to Slack".
 */
export class WorkspacesCreateInstallations1795500000000 implements MigrationInterface {
  name = 'WorkspacesCreateInstallations1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE workspaces_installations (
        team_id text NOT NULL,
        team_name text,
        app_id text,
        bot_user_id text,
        scopes text[] NOT NULL DEFAULT '{}',
        installer_user_id text,
        -- Sealed (AES-256-GCM, "v1.<key id>.<iv>.<ciphertext>"); null once Slack revoked them.
        bot_token text,
        refresh_token text,
        -- Set when Slack rotates the workspace's tokens: when the bot token stops working.
        token_expires_at timestamptz(3),
        -- Null for a workspace never installed here (an uninstall seen on the single-token shortcut).
        installed_at timestamptz(3),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        uninstalled_at timestamptz(3),
        uninstall_reason text,
        last_refreshed_at timestamptz(3),
        last_refresh_error text,
        last_refresh_error_at timestamptz(3),
        CONSTRAINT workspaces_installations_pkey PRIMARY KEY (team_id),
        CONSTRAINT workspaces_installations_reason CHECK (uninstall_reason IN ('app_uninstalled', 'tokens_revoked')),
        CONSTRAINT workspaces_installations_uninstalled CHECK ((uninstalled_at IS NULL) = (uninstall_reason IS NULL)),
        -- An installed workspace has a token; an uninstalled one has none left.
        CONSTRAINT workspaces_installations_token CHECK ((uninstalled_at IS NULL) = (bot_token IS NOT NULL)),
        CONSTRAINT workspaces_installations_rotation CHECK ((refresh_token IS NULL) = (token_expires_at IS NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE workspaces_install_states (
        -- SHA-256 of the state and of the browser cookie: the table alone lets nobody finish an install.
        state_hash text NOT NULL,
        browser_hash text NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        CONSTRAINT workspaces_install_states_pkey PRIMARY KEY (state_hash)
      )`);
    await queryRunner.query(`CREATE INDEX workspaces_install_states_expires_idx ON workspaces_install_states (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE workspaces_install_states`);
    await queryRunner.query(`DROP TABLE workspaces_installations`);
  }
}
