import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Private signing keys may be sealed with the deployment's keyring (TOKEN_ENCRYPTION_KEY): a third way to store them. */
export class TokensKeyringSealing1795600000000 implements MigrationInterface {
  name = 'TokensKeyringSealing1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tokens_signing_keys DROP CONSTRAINT tokens_signing_keys_encryption`);
    await queryRunner.query(`ALTER TABLE tokens_signing_keys ADD CONSTRAINT tokens_signing_keys_encryption CHECK (private_key_encryption IN ('none', 'aes-256-gcm', 'keyring'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Keyring-sealed keys cannot be opened by the older code: retire them rather than keep rows it would choke on.
    await queryRunner.query(`DELETE FROM tokens_signing_keys WHERE private_key_encryption = 'keyring'`);
    await queryRunner.query(`ALTER TABLE tokens_signing_keys DROP CONSTRAINT tokens_signing_keys_encryption`);
    await queryRunner.query(`ALTER TABLE tokens_signing_keys ADD CONSTRAINT tokens_signing_keys_encryption CHECK (private_key_encryption IN ('none', 'aes-256-gcm'))`);
  }
}
