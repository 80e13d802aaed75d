import express from 'express';
import { Cluster } from 'ioredis';
import request from 'supertest';
import { createRedisCache } from '../../src/platform/cache';
import { createRateLimit } from '../../src/platform/rate-limit';
import { createRedisConnection, whenRedisReady, type RedisClient } from '../../src/platform/redis';
import { deleteKeys } from '../support/queue-helpers';
import { uniquePrefix } from '../support/redis';
import { describeWithRedisCluster } from '../support/redis-cluster';
import { expectOneSlotPerChannel } from '../support/slack-rate-limit';

/**
 * The cache and the Slack rate limiter send single-key commands, so their keys need no hash tag
 * and spread over the cluster's masters; what two processes share must still meet. (The queue
 * and event de-duplication run their own suites on the cluster.)
 */
describeWithRedisCluster('the cache and the rate limiter on a Redis Cluster', (clusterUrl) => {
  let prefix: string;
  let clients: RedisClient[];
  // Connections fail fast, so each is used once the cluster has told it where the slots are.
  const connect = async () => {
    const client = createRedisConnection(clusterUrl, { connectionName: 'jt-cluster' });
    clients.push(client);
    await whenRedisReady(client, 5000);
    return client;
  };

  beforeEach(() => {
    prefix = uniquePrefix('cluster');
    clients = [];
  });
  afterEach(async () => {
    await Promise.all(clients.map((client) => client.quit()));
    await deleteKeys(clusterUrl, prefix);
  });

  it('when one process caches entries, then another reads each from whichever master holds it, and a delete is seen by both', async () => {
    const writer = createRedisCache({ redis: await connect(), prefix: `${prefix}:` });
    const reader = createRedisCache({ redis: await connect(), prefix: `${prefix}:` });
    const places = Array.from({ length: 12 }, (_, i) => `place-${i}`);

    await Promise.all(places.map((place, i) => writer.set(place, { place, i }, 60_000)));
    expect(await Promise.all(places.map((place) => reader.get(place)))).toEqual(places.map((place, i) => ({ place, i })));
    // The entries really are spread out, so the reads above crossed nodes.
    const cluster = clients[0] as Cluster;
    const held = await Promise.all(cluster.nodes('master').map(async (node) => (await node.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 1000))[1].length));
    expect(held.filter((count) => count > 0).length).toBeGreaterThan(1);

    await reader.delete('place-0');
    expect(await writer.get('place-0')).toBeUndefined();
  });

  it('when two web processes count requests per key, then they share each count on whichever master holds it, and the limit holds', async () => {
    // Two apps, each with its own cluster connection, as two web processes behind a load balancer.
    const apps = await Promise.all(
      [0, 1].map(async () => {
        const limit = createRateLimit({ name: 'cluster-test', windowMs: 60_000, limit: 3, key: (req) => String(req.query.who), redis: await connect(), prefix: `${prefix}:rl:` });
        return express()
          .use(limit)
          .get('/', (_req, res) => res.send('ok'))
          .use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(err.status ?? 500).end());
      }),
    );
    const people = Array.from({ length: 8 }, (_, i) => `person-${i}`);
    for (const who of people) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await request(apps[i % 2]!).get('/').query({ who })).status);
      expect({ who, statuses }).toEqual({ who, statuses: [200, 200, 200, 429] });
    }
    // The counters really are spread out, so the scripts ran on more than one master.
    const cluster = clients[0] as Cluster;
    const held = await Promise.all(cluster.nodes('master').map(async (node) => (await node.scan('0', 'MATCH', `${prefix}:rl:*`, 'COUNT', 1000))[1].length));
    expect(held.filter((count) => count > 0).length).toBeGreaterThan(1);
  });

  it('when two workers pace one channel, then they share its slot through the cluster; other channels and workspaces go at once', async () => {
    await expectOneSlotPerChannel(await connect(), await connect(), `${prefix}:rate:`);
  });
});
