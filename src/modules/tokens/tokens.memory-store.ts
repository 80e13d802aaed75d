import type { ClientRecord, SigningKeyRecord, TokensStore } from './tokens.store';

/** The in-memory store behind createFakeTokensService: same contract, for unit tests. */
export function createMemoryTokensStore(): TokensStore {
  const clients = new Map<string, ClientRecord>();
  const keys = new Map<string, SigningKeyRecord>();
  const newestFirst = (a: SigningKeyRecord, b: SigningKeyRecord) =>
    b.createdAt.getTime() - a.createdAt.getTime() || (a.kid < b.kid ? 1 : -1);
  const signingAt = (now: Date) =>
    [...keys.values()].filter((k) => k.retireAfter === null || k.retireAfter > now).sort(newestFirst)[0] ?? null;
  // Copies, so a caller mutating a record cannot change what is stored (as with a database).
  const copy = <T extends object>(value: T): T => structuredClone(value);

  return {
    async findClient(clientId) {
      const found = clients.get(clientId);
      return found ? copy(found) : null;
    },
    async insertClient(record) {
      if (clients.has(record.clientId)) return false;
      clients.set(record.clientId, copy(record));
      return true;
    },
    async upsertClient(record) {
      const createdAt = clients.get(record.clientId)?.createdAt ?? record.createdAt;
      clients.set(record.clientId, copy({ ...record, createdAt, revokedAt: null }));
    },
    async revokeClient(clientId, at) {
      const found = clients.get(clientId);
      if (!found || found.revokedAt) return false;
      found.revokedAt = at;
      return true;
    },
    async findSigningKey(now) {
      const found = signingAt(now);
      return found ? copy(found) : null;
    },
    async listServedKeys(now) {
      return [...keys.values()].filter((k) => k.expiresAt === null || k.expiresAt > now).sort(newestFirst).map(copy);
    },
    async insertKeyIfNoneSigns(candidate, now) {
      const existing = signingAt(now);
      if (existing) return copy(existing);
      keys.set(candidate.kid, copy(candidate));
      return candidate;
    },
    async rotate(next, retireAt, expiresAt) {
      for (const key of keys.values()) {
        if (key.retireAfter === null || key.retireAfter > retireAt) Object.assign(key, { retireAfter: retireAt, expiresAt });
      }
      keys.set(next.kid, copy(next));
    },
    async deleteExpiredKeys(now) {
      const expired = [...keys.values()].filter((k) => k.expiresAt !== null && k.expiresAt <= now);
      for (const key of expired) keys.delete(key.kid);
      return expired.length;
    },
  };
}
