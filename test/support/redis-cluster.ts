import { describeNeeding } from './describe-needing';
import { uniquePrefix } from './redis';

/**
 * Suites that must hold on a Redis Cluster too run against the one TEST_REDIS_CLUSTER_NODES
 * names (`host:port,host:port`; `.ci/run` starts one with scripts/ci/with-redis-cluster.sh).
 * Unset, they are skipped with a loud banner, except under CI=true, where that is a failure.
 */
export function testRedisClusterUrl(): string | undefined {
  const nodes = process.env.TEST_REDIS_CLUSTER_NODES?.trim();
  return nodes ? `redis+cluster://${nodes}` : undefined;
}

export function describeWithRedisCluster(name: string, body: (clusterUrl: string) => void): void {
  const remedy = 'set TEST_REDIS_CLUSTER_NODES=host:port,host:port; scripts/ci/with-redis-cluster.sh starts one';
  describeNeeding(name, testRedisClusterUrl(), { needs: 'a Redis Cluster', state: 'not configured', remedy }, body);
}

/** A prefix unique to one test, hash-tagged as a cluster needs: each test's keys share a slot of their own. */
export function uniqueClusterPrefix(label: string): string {
  return `{${uniquePrefix(label)}}`;
}
