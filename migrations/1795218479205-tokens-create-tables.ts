import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tokens module's tables: OAuth clients (hashed secrets) and JWT signing keys. */
export class TokensCreateTables1795218479205 implements MigrationInterface {
  name = 'TokensCreateTables1795218479205';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tokens_clients (
        client_id text NOT NULL,
        -- scrypt with a per-secret salt; the secret itself is never stored.
        secret_hash text NOT NULL,
        allowed_audiences text[] NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3),
        CONSTRAINT tokens_clients_pkey PRIMARY KEY (client_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE tokens_signing_keys (
        kid text NOT NULL,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        -- The private JWK, AES-256-GCM sealed when the service has a key-encryption secret.
        private_jwk text NOT NULL,
        private_key_encryption text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        -- When it stops signing: null while it is the active key.
        retire_after timestamptz(3),
        -- When it leaves the JWKS: retirement plus the longest life of a token it signed.
        expires_at timestamptz(3),
        CONSTRAINT tokens_signing_keys_pkey PRIMARY KEY (kid),
        CONSTRAINT tokens_signing_keys_encryption CHECK (private_key_encryption IN ('none', 'aes-256-gcm')),
        CONSTRAINT tokens_signing_keys_retired_expires CHECK ((retire_after IS NULL) = (expires_at IS NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tokens_signing_keys`);
    await queryRunner.query(`DROP TABLE tokens_clients`);
  }
}
