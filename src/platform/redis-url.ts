/**
 * Where Redis is. One node: `redis://` or `rediss://`, as ioredis reads them. A Redis Cluster:
 * `redis+cluster://[user:password@]host:port,host:port` (`rediss+cluster://` for TLS), listing
 * some of its nodes; the rest are found from them. One variable for both, so whatever asks
 * "is Redis configured?" asks the same question of either, and credentials travel the same way.
 */
export interface RedisClusterTarget {
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  tls: boolean;
}

const CLUSTER_SCHEME = /^rediss?\+cluster:\/\//i;
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^@/?#]+)\/?$/i;
const NODE = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/i;

const FORM = 'redis+cluster://host:port,host:port';

export function isRedisClusterUrl(url: string): boolean {
  return CLUSTER_SCHEME.test(url.trim());
}

/** The nodes and credentials a cluster URL names; throws saying what is wrong with it. */
export function parseRedisClusterUrl(url: string): RedisClusterTarget {
  const match = CLUSTER_URL.exec(url.trim());
  if (!match) throw new Error(`must be ${FORM} (rediss+cluster:// for TLS)`);
  const [, scheme, auth, hosts] = match;
  const nodes = hosts!.split(',').map((entry) => {
    const node = NODE.exec(entry.trim());
    const port = Number(node?.[2] ?? 6379);
    if (!node || port < 1 || port > 65535) throw new Error(`"${entry}" is not a host:port, as in ${FORM}`);
    return { host: node[1]!.replace(/^\[|\]$/g, ''), port };
  });
  const target: RedisClusterTarget = { nodes, tls: scheme!.toLowerCase() === 'rediss' };
  if (auth) {
    // As ioredis reads a redis:// URL: `user:password@`, `:password@` for the default user, `user@`.
    const colon = auth.indexOf(':');
    const username = decodeURIComponent(colon < 0 ? auth : auth.slice(0, colon));
    const password = colon < 0 ? '' : decodeURIComponent(auth.slice(colon + 1));
    if (username) target.username = username;
    if (password) target.password = password;
  }
  return target;
}

/**
 * True when every key starting with this prefix lands in one cluster slot: it holds a hash tag,
 * a `{` followed by a non-empty tag and `}`, which Redis hashes instead of the whole key. BullMQ's
 * scripts touch several keys of a queue at once, and a cluster refuses that across slots.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}
