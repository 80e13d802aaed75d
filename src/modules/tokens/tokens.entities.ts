import { EntitySchema } from 'typeorm';
import type { ClientRecord, SigningKeyRecord } from './tokens.store';

/** Tables owned by the tokens module (migrations/*-tokens-*.ts); no other module reads them. */
export const tokensClientEntity = new EntitySchema<ClientRecord>({
  name: 'TokensClient',
  tableName: 'tokens_clients',
  columns: {
    clientId: { name: 'client_id', type: 'text', primary: true },
    secretHash: { name: 'secret_hash', type: 'text' },
    allowedAudiences: { name: 'allowed_audiences', type: 'text', array: true },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    revokedAt: { name: 'revoked_at', type: 'timestamptz', nullable: true },
  },
});

export const tokensSigningKeyEntity = new EntitySchema<SigningKeyRecord>({
  name: 'TokensSigningKey',
  tableName: 'tokens_signing_keys',
  columns: {
    kid: { type: 'text', primary: true },
    alg: { type: 'text' },
    publicJwk: { name: 'public_jwk', type: 'jsonb' },
    privateJwk: { name: 'private_jwk', type: 'text' },
    privateKeyEncryption: { name: 'private_key_encryption', type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    retireAfter: { name: 'retire_after', type: 'timestamptz', nullable: true },
    expiresAt: { name: 'expires_at', type: 'timestamptz', nullable: true },
  },
});

// The wider type is what DataSource options take.
export const tokensEntities: EntitySchema[] = [tokensClientEntity, tokensSigningKeyEntity] as EntitySchema[];
