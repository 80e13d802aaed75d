import Redis from 'ioredis';

/**
 * CPU the Redis server used over a window, from INFO cpu. Redis is shared (other processes
 * may use it at the same time), so this is an upper bound on what the bench caused.
 */
export interface RedisCpuMeter {
  mark(): Promise<void>;
  /** Cores used since mark(). */
  read(): Promise<number>;
  close(): void;
}

async function cpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

export function createRedisCpuMeter(url: string): RedisCpuMeter {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  let startCpu = 0;
  let startWall = 0;
  return {
    async mark() {
      startCpu = await cpuSeconds(redis);
      startWall = performance.now();
    },
    async read() {
      const used = (await cpuSeconds(redis)) - startCpu;
      return (used * 1000) / (performance.now() - startWall);
    },
    close: () => redis.disconnect(),
  };
}
