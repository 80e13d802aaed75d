import { join } from 'node:path';
import { allEntities } from '../../src/composition';
import {
  createDevOutbox,
  createSlackDelivery,
  createSlackWebClient,
  SLACK_DELIVERIES_QUEUE,
} from '../../src/modules/slack';
import { createDataSource } from '../../src/platform/db/data-source';
import { createLogger } from '../../src/platform/logger';
import { createJobQueue, DEFAULT_PREFIX } from '../../src/platform/queue';
import type { BenchContext, BenchSection } from '../lib/context';
import { jeevesEnv } from '../lib/jeeves-env';
import { row, type BenchRow } from '../lib/results';
import type { MonolithChildParams } from '../reply/monolith.child';
import { startSlackSink, type SlackSink } from '../reply/slack-sink';
import { timeDrain, type DrainResult } from './drain';
import { CONCURRENCY, DRAIN_TIMEOUT_MS, message, startWorkers, WARMUP } from './delivery-workers';
import { rawRate } from './raw-rate';

const SECTION = '4 delivery';

/** Messages/s through Jeeves' delivery queue to the stand-in, from worker processes wired as `npm run worker` wires them. */
async function deliveryRate(ctx: BenchContext, sink: SlackSink, workers: number, env: MonolithChildParams['env']): Promise<DrainResult> {
  const database = await ctx.database();
  const logger = createLogger({ level: 'warn', name: 'jeeves-bench' });
  const dataSource = createDataSource({ url: database.url, entities: allEntities(), migrations: [] });
  await dataSource.initialize();
  const queue = createJobQueue({ redisUrl: env.REDIS_URL!, logger });
  const params: MonolithChildParams = { env, workers: true, web: false, holdWorkers: true };
  const children = await startWorkers<{ port: number }>(workers, 'delivery-worker', join(__dirname, '..', 'reply', 'monolith.child.ts'), params);
  try {
    // The producer side of the face: the same send() the bot and the reminders use.
    const producer = createSlackDelivery({
      queue,
      client: createSlackWebClient({ apiUrl: sink.url }),
      outbox: createDevOutbox(dataSource),
      tokens: async () => sink.token,
      logger,
    });
    const postsBefore = sink.posts;
    return await timeDrain({
      queue: SLACK_DELIVERIES_QUEUE,
      prefix: DEFAULT_PREFIX,
      redisUrl: env.REDIS_URL!,
      workers: children,
      warmup: WARMUP,
      count: ctx.settings.deliveryMessages,
      async fill(from, n) {
        for (let seq = from; seq < from + n; seq += 100) {
          await Promise.all(Array.from({ length: Math.min(100, from + n - seq) }, (_, i) => producer.send(message(ctx.runId, workers, seq + i))));
        }
      },
      async handled(total) {
        if (!(await sink.waitForPosts(postsBefore + total, DRAIN_TIMEOUT_MS))) throw new Error(`only ${sink.posts - postsBefore} of ${total} messages delivered`);
        return performance.timeOrigin + sink.lastPostAt;
      },
    });
  } finally {
    await Promise.all(children.map((c) => c.close()));
    await queue.close(1000);
    await dataSource.destroy();
  }
}

/**
 * Issue 4: how fast the delivery queue empties into the Slack stand-in (no rate limiting, one
 * HTTP post each: a first try looks nowhere else) with one and with two worker processes, against
 * bare BullMQ no-op workers measured the same way in the same run.
 */
async function runDelivery(ctx: BenchContext): Promise<BenchRow[]> {
  const [redis, sink] = await Promise.all([ctx.redis(), startSlackSink()]);
  const env = await jeevesEnv(ctx, { slackApiUrl: sink.url, botToken: sink.token, slackRateLimit: false });
  const rows: BenchRow[] = [];
  try {
    for (const workers of [1, 2]) {
      ctx.log(`delivery: raw BullMQ no-op, ${workers} worker(s)`);
      const raw = await rawRate(ctx, redis.url, workers);
      ctx.log(`delivery: Jeeves delivery, ${workers} worker(s)`);
      const delivered = await deliveryRate(ctx, sink, workers, env);
      await redis.clear();
      const plural = workers === 1 ? '1 worker process' : `${workers} worker processes`;
      rows.push(row({ section: SECTION, name: `raw BullMQ no-op jobs, ${plural}`, value: raw.rate, unit: 'jobs/s' }));
      rows.push(
        row({
          section: SECTION,
          name: `delivery to the Slack stand-in, ${plural}`,
          value: delivered.rate,
          unit: 'msg/s',
          baseline: { name: 'raw BullMQ', value: raw.rate },
          target: { kind: 'ratio-at-least', min: 0.5 },
          note:
            `${ctx.settings.deliveryMessages} messages (raw: twice as many) queued while paused, after a warm-up of ${WARMUP}; concurrency ${CONCURRENCY} per process on both sides; no rate limiter; ` +
            `worker CPU per message ${delivered.cpuMsPerMessage.toFixed(2)} ms (raw ${raw.cpuMsPerMessage.toFixed(2)} ms)`,
        }),
      );
    }
  } finally {
    await sink.close();
    await redis.clear();
  }
  return rows;
}

export const deliverySection: BenchSection = { id: 'delivery', issue: 4, title: 'Delivery throughput vs raw BullMQ', run: runDelivery };
