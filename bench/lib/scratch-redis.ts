import Redis from 'ioredis';

/**
 * A Redis logical database of the bench's own, found empty and claimed, so that BullMQ queues
 * opened through openInfrastructure (whose key prefix is fixed) never meet another process's
 * keys, and so that emptying it afterwards cannot touch anyone else's.
 */
export interface ScratchRedis {
  /** redis://host:port/<db> */
  url: string;
  db: number;
  /** Deletes every key of the scratch database but the claim (between sections). */
  clear(): Promise<void>;
  /** Deletes every key, the claim included. */
  release(): Promise<void>;
}

const CLAIM_KEY = 'jeeves-bench:claim';

async function deleteAll(redis: Redis, keep?: string): Promise<void> {
  let cursor = '0';
  // Bounded: SCAN terminates once the cursor returns to 0.
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    const doomed = keep ? keys.filter((k) => k !== keep) : keys;
    if (doomed.length) await redis.unlink(...doomed);
  } while (cursor !== '0');
}

export async function claimScratchRedis(baseUrl: string, runId: string): Promise<ScratchRedis> {
  const base = new URL(baseUrl);
  // High numbers first: tests and `npm start` use database 0.
  for (let db = 15; db >= 1; db--) {
    base.pathname = `/${db}`;
    const url = base.toString();
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    try {
      await redis.connect();
      if ((await redis.dbsize()) !== 0) continue;
      // Claimed atomically, with an expiry, so a crashed run frees it within the hour.
      if ((await redis.set(CLAIM_KEY, runId, 'EX', 3600, 'NX')) !== 'OK') continue;
      return {
        url,
        db,
        clear: async () => {
          const cleaner = new Redis(url, { maxRetriesPerRequest: 1 });
          try {
            await deleteAll(cleaner, CLAIM_KEY);
          } finally {
            cleaner.disconnect();
          }
        },
        release: async () => {
          const cleaner = new Redis(url, { maxRetriesPerRequest: 1 });
          try {
            if ((await cleaner.get(CLAIM_KEY)) === runId) await deleteAll(cleaner);
          } finally {
            cleaner.disconnect();
          }
        },
      };
    } finally {
      redis.disconnect();
    }
  }
  throw new Error(`no empty Redis database (1-15) at ${baseUrl}`);
}
