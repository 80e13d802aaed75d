import Redis from 'ioredis';
import { loadConfig } from '../../src/config';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure/infrastructure';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deferred, deleteKeys, silentLogger, waitFor } from '../support/queue-helpers';
import { describeWithRedis, uniquePrefix } from '../support/redis';

const QUEUE = 'slack-events';

/**
 * QUEUE_LOCK_MS reaches BullMQ: while a job runs, its lock key lives that long, so a job whose
 * worker died is taken up again within about twice it (BullMQ's own 30 s lock and 30 s stalled
 * check left a chat reply up to 90 s late).
 */
describeWithRedis('queue lock (QUEUE_LOCK_MS)', (redisUrl) => {
  let db: TestDatabase;
  let infra: Infrastructure | undefined;
  let prefix: string;
  const redis = new Redis(redisUrl);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
    redis.disconnect();
  });
  beforeEach(() => {
    prefix = uniquePrefix('lock');
  });
  afterEach(async () => {
    await infra?.close(1000);
    infra = undefined;
    await deleteKeys(redisUrl, prefix);
  });

  /** The lock's remaining life (ms) while a job of a process with this environment runs. */
  async function lockLifeWhileRunning(env: Record<string, string>): Promise<number> {
    const config = loadConfig({ DATABASE_URL: db.url, REDIS_URL: redisUrl, LOG_LEVEL: 'silent', ...env });
    infra = await openInfrastructure({ config, logger: silentLogger(), modules: [], queuePrefix: prefix, cachePrefix: `${prefix}:cache`, keyPrefix: prefix });
    const release = deferred();
    let running = false;
    infra.queue.work(QUEUE, async () => {
      running = true;
      await release.promise;
    });
    const id = await infra.queue.add(QUEUE, 'event', { n: 1 }, { idempotencyKey: `lock-${prefix}` });
    await waitFor(() => running, 'the job to start');
    const ttl = await redis.pttl(`${prefix}:${QUEUE}:${id}:lock`);
    release.resolve();
    return ttl;
  }

  it('when QUEUE_LOCK_MS is unset, then a running job is held 10 s at a time', async () => {
    const ttl = await lockLifeWhileRunning({});
    expect(ttl).toBeGreaterThan(8000);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });

  it('when QUEUE_LOCK_MS is set, then a running job is held that long at a time', async () => {
    const ttl = await lockLifeWhileRunning({ QUEUE_LOCK_MS: '25000' });
    expect(ttl).toBeGreaterThan(23_000);
    expect(ttl).toBeLessThanOrEqual(25_000);
  });
});
