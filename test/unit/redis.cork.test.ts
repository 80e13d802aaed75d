import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { corkForThisTurn } from '../../src/platform/redis';

/**
 * A stand-in Redis that answers +OK to every command and records each chunk it reads, so a test
 * can tell whether commands left in one write or in several.
 */
async function recordingRedis(): Promise<{ server: Server; port: number; chunks: string[]; sockets: Socket[] }> {
  const chunks: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk.toString('latin1'));
      // One +OK per command in the chunk (each RESP command starts with *).
      const commands = chunk.toString('latin1').match(/^\*/gm)?.length ?? 0;
      socket.write('+OK\r\n'.repeat(commands));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, chunks, sockets };
}

/** A command issued at the end of a chain of resolved awaits, as each Queue.add issues its script. */
async function afterAwaits(redis: Redis, key: string): Promise<unknown> {
  await Promise.resolve();
  await Promise.resolve();
  return redis.set(key, 'v');
}

describe('corkForThisTurn', () => {
  let stand: Awaited<ReturnType<typeof recordingRedis>>;
  let redis: Redis;

  beforeEach(async () => {
    stand = await recordingRedis();
    redis = new Redis({ port: stand.port, host: '127.0.0.1', enableReadyCheck: false, lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect();
    await redis.set('warm', 'v');
    stand.chunks.length = 0;
  });

  afterEach(async () => {
    redis.disconnect();
    for (const socket of stand.sockets) socket.destroy();
    await new Promise<void>((resolve) => stand.server.close(() => resolve()));
  });

  /** The same writes every time, issued from a macrotask as the add batcher issues them. */
  function issueFive(cork: boolean): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (cork) corkForThisTurn(redis);
        Promise.all([1, 2, 3, 4, 5].map((i) => afterAwaits(redis, `k${i}`))).then(resolve, reject);
      });
    });
  }

  /** Socket writes (each one a syscall) while `fn` runs. */
  async function writesDuring(fn: () => Promise<unknown>): Promise<number> {
    const socket = redis.stream as unknown as { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
    const single = jest.spyOn(socket, '_write');
    const vector = jest.spyOn(socket, '_writev');
    try {
      await fn();
      return single.mock.calls.length + vector.mock.calls.length;
    } finally {
      single.mockRestore();
      vector.mockRestore();
    }
  }

  it('given five commands issued in one turn, then they leave in one write and all are answered', async () => {
    let answers: unknown[] = [];
    expect(await writesDuring(async () => (answers = await issueFive(true)))).toBe(1);
    expect(answers).toEqual(['OK', 'OK', 'OK', 'OK', 'OK']);
    expect(stand.chunks.join('').match(/^\*/gm)).toHaveLength(5);
  });

  it('given the same commands without it, then each is a write of its own (what the cork saves)', async () => {
    expect(await writesDuring(() => issueFive(false))).toBe(5);
  });

  it('given a corked turn, then the socket is uncorked once it has run: a later command goes out at once', async () => {
    await issueFive(true);
    expect(redis.stream.writableCorked).toBe(0);
    expect(await redis.set('later', 'v')).toBe('OK');
  });

  it('given a command issued only in a later turn, then it is not held back', async () => {
    const later = new Promise((resolve, reject) => {
      setImmediate(() => {
        corkForThisTurn(redis);
        setTimeout(() => redis.set('next-turn', 'v').then(resolve, reject), 5);
      });
    });
    await expect(later).resolves.toBe('OK');
  });
});
