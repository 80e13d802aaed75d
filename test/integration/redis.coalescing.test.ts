import type Redis from 'ioredis';
import { createRedisConnection } from '../../src/platform/redis';
import { startFakeRedis, type FakeRedis } from '../support/fake-redis';

/**
 * A worker's connection sends the commands of one event-loop turn in one write. No real Redis
 * needed: a fake one answers PING, and the test looks at the client's socket.
 */

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Redis connection that coalesces writes', () => {
  let redis: FakeRedis;
  let clients: Redis[];
  const connect = async (coalesceWrites: boolean) => {
    const client = createRedisConnection(redis.url, { forWorker: true, coalesceWrites, connectionName: 'jt-coalescing' });
    clients.push(client);
    await client.ping();
    return client;
  };

  beforeEach(async () => {
    redis = await startFakeRedis((command, socket) => {
      if (command === 'ping') socket.write('+PONG\r\n');
    });
    clients = [];
  });
  afterEach(async () => {
    for (const client of clients) client.disconnect();
    await redis.close();
  });

  it('when three commands are issued in one turn, then they wait in the socket together and leave at the end of the turn', async () => {
    const client = await connect(true);
    const replies = Promise.all([client.ping(), client.ping(), client.ping()]);
    expect(client.stream.writableCorked).toBe(1);
    expect(client.stream.writableLength).toBe(3 * '*1\r\n$4\r\nping\r\n'.length);
    await turn();
    expect(client.stream.writableCorked).toBe(0);
    expect(client.stream.writableLength).toBe(0);
    await expect(replies).resolves.toEqual(['PONG', 'PONG', 'PONG']);
    expect(redis.received.filter((name) => name === 'ping')).toHaveLength(4);
  });

  it('when commands are issued in later turns, then each turn sends its own', async () => {
    const client = await connect(true);
    const first = client.ping();
    await turn();
    const second = client.ping();
    expect(client.stream.writableLength).toBeGreaterThan(0);
    await expect(Promise.all([first, second])).resolves.toEqual(['PONG', 'PONG']);
  });

  it('when the connection is a plain one, then each command is written at once', async () => {
    const client = await connect(false);
    const replies = Promise.all([client.ping(), client.ping()]);
    expect(client.stream.writableCorked).toBe(0);
    expect(client.stream.writableLength).toBe(0);
    await expect(replies).resolves.toEqual(['PONG', 'PONG']);
  });

  it('when commands are issued before the connection is ready, then they are sent once it is', async () => {
    const client = createRedisConnection(redis.url, { forWorker: true, coalesceWrites: true });
    clients.push(client);
    await expect(Promise.all([client.ping(), client.ping()])).resolves.toEqual(['PONG', 'PONG']);
  });
});
