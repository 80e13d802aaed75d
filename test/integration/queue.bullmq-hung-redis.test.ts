import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createBullmqQueue } from '../../src/platform/queue';
import { silentLogger } from '../support/queue-helpers';

/**
 * A Redis that accepts the connection and answers the handshake, then stops answering: the
 * queue must fail an add (and a ping) as unavailable within its operation bound, never hang
 * a request that waits for it. No real Redis needed.
 */

const INFO = '# Server\r\nredis_version:7.0.15\r\nloading:0\r\nmaxmemory_policy:noeviction\r\n';

/** The command names in a buffer of RESP arrays (enough of RESP for this: arrays of bulk strings). */
function commandNames(text: string): string[] {
  const names: string[] = [];
  const lines = text.split('\r\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith('*') && lines[i + 1]?.startsWith('$')) names.push(lines[i + 2]!.toLowerCase());
  }
  return names;
}

async function hungRedis(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk) => {
      for (const name of commandNames(chunk.toString('latin1'))) {
        if (name === 'client' || name === 'select') socket.write('+OK\r\n');
        else if (name === 'info') socket.write(`$${Buffer.byteLength(INFO)}\r\n${INFO}\r\n`);
        // Anything else (the add's script, PING): no answer, ever.
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('BullMQ queue on a Redis that stops answering', () => {
  it('fails an add and a ping as QUEUE.UNAVAILABLE once the operation bound has passed', async () => {
    const redis = await hungRedis();
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
