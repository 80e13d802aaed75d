import { createBullmqQueue } from '../../src/platform/queue';
import { startFakeRedis } from '../support/fake-redis';
import { silentLogger } from '../support/queue-helpers';

/**
 * A Redis that accepts the connection and answers the handshake, then stops answering: the
 * queue must fail an add (and a ping) as unavailable within its operation bound, never hang
 * a request that waits for it. No real Redis needed.
 */

describe('BullMQ queue on a Redis that stops answering', () => {
  it('fails an add and a ping as QUEUE.UNAVAILABLE once the operation bound has passed', async () => {
    // The add's script and PING: no answer, ever.
    const redis = await startFakeRedis(() => undefined);
    const queue = createBullmqQueue({ redisUrl: redis.url, logger: silentLogger(), prefix: 'hung', operationTimeoutMs: 300 });
    try {
      const started = performance.now();
      await expect(queue.add('events', 'event', { n: 1 }, { idempotencyKey: 'Ev1' })).rejects.toMatchObject({ code: 'QUEUE.UNAVAILABLE', status: 503 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(performance.now() - started).toBeLessThan(3000);
      await expect(queue.ping()).rejects.toMatchObject({ code: 'QUEUE.UNAVAILABLE' });
    } finally {
      await queue.close(200);
      await redis.close();
    }
  });
});
