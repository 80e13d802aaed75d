import { createBullmqQueue } from '../../src/platform/queue/bullmq-queue';
import { redactRedisUrl } from '../../src/platform/redis';
import { hasHashTag, isRedisClusterUrl, parseRedisClusterUrl } from '../../src/platform/redis-url';
import { createLogger } from '../../src/platform/logger';

describe('Redis Cluster URLs', () => {
  it('when a cluster URL lists nodes, then each is a host and port, 6379 when none is given', () => {
    expect(parseRedisClusterUrl('redis+cluster://10.0.0.1:7001, redis-b ,[::1]:7003/')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7001 },
        { host: 'redis-b', port: 6379 },
        { host: '::1', port: 7003 },
      ],
      tls: false,
    });
  });

  it('when the URL carries credentials and rediss, then they are read as in a redis:// URL and TLS is on', () => {
    expect(parseRedisClusterUrl('rediss+cluster://jeeves:p%40ss@a:1,b:2')).toMatchObject({ username: 'jeeves', password: 'p@ss', tls: true });
    const passwordOnly = parseRedisClusterUrl('redis+cluster://:secret@a:1');
    expect([passwordOnly.username, passwordOnly.password]).toEqual([undefined, 'secret']);
  });

  it.each(['redis+cluster://', 'redis+cluster://a:1,,b:2', 'redis+cluster://a:99999', 'redis+cluster://a:1/2', 'redis+cluster://a:1?db=2'])('when the URL is %s, then it is refused', (url) => {
    expect(() => parseRedisClusterUrl(url)).toThrow(/redis\+cluster:\/\/host:port/);
  });

  it('only the +cluster schemes name a cluster', () => {
    expect(['redis+cluster://a:1', 'REDISS+CLUSTER://a:1'].map(isRedisClusterUrl)).toEqual([true, true]);
    expect(['redis://a:1', 'rediss://a:1', 'cluster://a:1'].map(isRedisClusterUrl)).toEqual([false, false, false]);
  });

  it('when a cluster URL is shown in a log or message, then its credentials are left out', () => {
    expect(redactRedisUrl('rediss+cluster://jeeves:secret@a:1,b:2/')).toBe('rediss+cluster://a:1,b:2');
    expect(redactRedisUrl('redis://:secret@a:1')).toBe('redis://a:1');
  });
});

describe('hash tags', () => {
  it.each([
    ['{jeeves}', true],
    ['prod:{jeeves}:bull', true],
    ['jeeves:bull', false],
    ['{}jeeves', false],
    ['jeeves{', false],
    ['jeeves}{x', false],
  ])('%s holds one: %s', (prefix, expected) => {
    expect(hasHashTag(prefix)).toBe(expected);
  });

  it('when a BullMQ queue on a cluster is given a prefix without a hash tag, then it refuses before connecting', () => {
    const logger = createLogger({ level: 'silent' });
    expect(() => createBullmqQueue({ redisUrl: 'redis+cluster://127.0.0.1:1', prefix: 'jeeves:bull', logger })).toThrow(/hash tag/);
    expect(() => createBullmqQueue({ redisUrl: 'redis+cluster://127.0.0.1:1', logger })).toThrow(/"jeeves:bull" has none/);
  });
});
