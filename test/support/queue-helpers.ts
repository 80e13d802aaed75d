import net from 'node:net';
import Redis, { Cluster } from 'ioredis';
import { createLogger, type Logger } from '../../src/platform/logger';
import { isRedisClusterUrl, parseRedisClusterUrl } from '../../src/platform/redis-url';
import type { JobQueue } from '../../src/platform/queue';

export function silentLogger(): Logger {
  return createLogger({ level: 'silent' });
}

/** Polls until the condition holds; fails with `what` when the deadline passes first. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A local port nothing listens on: connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Deletes every key under a test's own prefix, whatever BullMQ made of it, on one node or each master of a cluster. */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const client = isRedisClusterUrl(redisUrl) ? new Cluster(parseRedisClusterUrl(redisUrl).nodes, { redisOptions: { maxRetriesPerRequest: 1 } }) : new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await client.ping();
    const cluster = client instanceof Cluster;
    for (const node of client instanceof Cluster ? client.nodes('master') : [client]) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        // On a cluster one DEL per key: keys of one node may still lie in different slots.
        if (keys.length > 0) await (cluster ? Promise.all(keys.map((key) => node.del(key))) : node.del(...keys));
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}

/**
 * True once nothing in a queue waits or runs: every job released so far (by a fake clock's
 * advance, say) has ended, so what it would have done is done and its absence can be asserted.
 */
export async function idle(queue: Pick<JobQueue, 'counts'>, name: string): Promise<boolean> {
  const c = await queue.counts(name);
  return c.waiting + c.active === 0;
}

/** True once nothing in a queue waits, runs or waits for a retry: every job added so far has completed or failed for good. */
export async function ended(queue: Pick<JobQueue, 'counts'>, name: string): Promise<boolean> {
  const c = await queue.counts(name);
  return c.waiting + c.active + c.delayed === 0;
}

/**
 * True once a queue holds nothing waiting, running, delayed or failed: every job added has
 * completed. The way to see a delivery finish, since a completed delivery leaves the queue.
 */
export async function nothingLeft(queue: Pick<JobQueue, 'counts'>, name: string): Promise<boolean> {
  const c = await queue.counts(name);
  return c.waiting + c.active + c.delayed + c.failed === 0;
}
