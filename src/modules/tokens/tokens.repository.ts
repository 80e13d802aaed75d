import { IsNull, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { tokensClientEntity, tokensSigningKeyEntity } from './tokens.entities';
import type { SigningKeyRecord, TokensStore } from './tokens.store';

/** Serialises key creation and rotation across every process sharing the database. */
async function lockKeys(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('tokens_signing_keys'))`);
}

function signingAt(now: Date) {
  return [{ retireAfter: IsNull() }, { retireAfter: MoreThan(now) }];
}

async function findSigningKey(manager: EntityManager, now: Date): Promise<SigningKeyRecord | null> {
  return manager.getRepository(tokensSigningKeyEntity).findOne({ where: signingAt(now), order: { createdAt: 'DESC', kid: 'DESC' } });
}

/** The PostgreSQL store: tokens_clients and tokens_signing_keys. */
export function createTokensRepository(dataSource: DataSource): TokensStore {
  const clients = () => dataSource.getRepository(tokensClientEntity);
  const keys = () => dataSource.getRepository(tokensSigningKeyEntity);
  return {
    findClient: (clientId) => clients().findOneBy({ clientId }),

    async insertClient(record) {
      const result = await clients().createQueryBuilder().insert().values(record).orIgnore().returning(['clientId']).execute();
      return (result.raw as unknown[]).length > 0;
    },

    async upsertClient(record) {
      await dataSource.query(
        `INSERT INTO tokens_clients (client_id, secret_hash, allowed_audiences, created_at, revoked_at)
         VALUES ($1, $2, $3, $4, NULL)
         ON CONFLICT (client_id) DO UPDATE
           SET secret_hash = EXCLUDED.secret_hash, allowed_audiences = EXCLUDED.allowed_audiences, revoked_at = NULL`,
        [record.clientId, record.secretHash, record.allowedAudiences, record.createdAt],
      );
    },

    async revokeClient(clientId, at) {
      const result = await clients().update({ clientId, revokedAt: IsNull() }, { revokedAt: at });
      return (result.affected ?? 0) > 0;
    },

    findSigningKey: (now) => findSigningKey(dataSource.manager, now),

    listServedKeys: (now) =>
      keys().find({ where: [{ expiresAt: IsNull() }, { expiresAt: MoreThan(now) }], order: { createdAt: 'DESC', kid: 'DESC' } }),

    insertKeyIfNoneSigns: (candidate, now) =>
      dataSource.transaction(async (manager) => {
        await lockKeys(manager);
        const existing = await findSigningKey(manager, now);
        if (existing) return existing;
        await manager.getRepository(tokensSigningKeyEntity).insert(candidate);
        return candidate;
      }),

    rotate: (next, retireAt, expiresAt) =>
      dataSource.transaction(async (manager) => {
        await lockKeys(manager);
        await manager
          .createQueryBuilder()
          .update(tokensSigningKeyEntity)
          .set({ retireAfter: retireAt, expiresAt })
          .where('retire_after IS NULL OR retire_after > :retireAt', { retireAt })
          .execute();
        await manager.getRepository(tokensSigningKeyEntity).insert(next);
      }),

    async deleteExpiredKeys(now) {
      const result = await keys().createQueryBuilder().delete().where('expires_at <= :now', { now }).execute();
      return result.affected ?? 0;
    },
  };
}
