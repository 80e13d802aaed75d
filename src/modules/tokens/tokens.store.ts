import type { PublicJwk } from './tokens.types';

/** How the private half of a signing key is stored. */
export type PrivateKeyEncryption = 'none' | 'aes-256-gcm' | 'keyring';

export interface ClientRecord {
  clientId: string;
  /** scrypt, self-describing: see tokens.secrets.ts. */
  secretHash: string;
  allowedAudiences: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  publicJwk: PublicJwk;
  /** The private JWK as JSON, or its sealed form when privateKeyEncryption says so. */
  privateJwk: string;
  privateKeyEncryption: PrivateKeyEncryption;
  createdAt: Date;
  retireAfter: Date | null;
  expiresAt: Date | null;
}

/**
 * The module's persistence, behind an interface so the service runs on PostgreSQL
 * (tokens.repository.ts) or in memory for unit tests (tokens.memory-store.ts).
 */
export interface TokensStore {
  findClient(clientId: string): Promise<ClientRecord | null>;
  /** False when the id is taken. */
  insertClient(record: ClientRecord): Promise<boolean>;
  /** Inserts, or replaces the secret and audiences of, a client; a revoked one becomes live again. */
  upsertClient(record: ClientRecord): Promise<void>;
  /** False when there was no live client to revoke. */
  revokeClient(clientId: string, at: Date): Promise<boolean>;
  /** The newest key that still signs at `now`. */
  findSigningKey(now: Date): Promise<SigningKeyRecord | null>;
  /** Keys not yet expired at `now`, newest first. */
  listServedKeys(now: Date): Promise<SigningKeyRecord[]>;
  /** Inserts `candidate` unless a key already signs at `now`; returns the key that signs. Serialised across processes. */
  insertKeyIfNoneSigns(candidate: SigningKeyRecord, now: Date): Promise<SigningKeyRecord>;
  /** In one step: every signing key stops signing at `retireAt` and leaves the JWKS at `expiresAt`; `next` signs. */
  rotate(next: SigningKeyRecord, retireAt: Date, expiresAt: Date): Promise<void>;
  /** Deletes keys that have left the JWKS: their private halves are of no use and only a risk. */
  deleteExpiredKeys(now: Date): Promise<number>;
}
