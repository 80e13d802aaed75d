import { allEntities } from '../../src/infrastructure/tables';
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
import { freePort } from '../lib/free-port';
import { jeevesEnv } from '../lib/jeeves-env';
import { startJeevesProcess, type JeevesProcess } from '../lib/jeeves-process';
import { row, type BenchRow } from '../lib/results';
import type { Env } from '../../src/config';
import { startSlackSink, type SlackSink } from '../reply/slack-sink';
import { startDrainer, type Drainer, type DrainResult } from './drain';
import { CONCURRENCY, DRAIN_TIMEOUT_MS, message, WARMUP } from './delivery-workers';
import { startRawSide } from './raw-rate';

const SECTION = '4 delivery';

/** Jeeves' delivery queue to the stand-in, from worker processes run as deploy/ runs a delivery pool (`node dist/src/processes/worker.js`, WORKER_QUEUES=slack-deliveries), fed by the same send() the bot uses. */
async function startJeevesSide(ctx: BenchContext, sink: SlackSink, workers: number, env: Env): Promise<Drainer> {
  const database = await ctx.database();
  const logger = createLogger({ level: 'warn', name: 'jeeves-bench' });
  const dataSource = createDataSource({ url: database.url, entities: allEntities(), migrations: [] });
  await dataSource.initialize();
  const queue = createJobQueue({ redisUrl: env.REDIS_URL!, logger });
  const children: JeevesProcess[] = [];
  const teardown = async () => {
    await Promise.all(children.map((c) => c.close()));
    await queue.close(1000);
    await dataSource.destroy();
  };
  try {
    // One at a time, so their start-ups do not fight for the cores. They consume from the start: the warm-up fill is their first work.
    for (let i = 0; i < workers; i++) {
      children.push(await startJeevesProcess('worker', { ...env, WORKER_QUEUES: SLACK_DELIVERIES_QUEUE }, await freePort(), `delivery-worker-${i + 1}`));
    }
  } catch (err) {
    await teardown();
    throw err;
  }
  const producer = createSlackDelivery({
    queue,
    client: createSlackWebClient({ apiUrl: sink.url }),
    outbox: createDevOutbox(dataSource),
    tokens: async () => sink.token,
    logger,
  });
  const postsBefore = sink.posts;
  return startDrainer({
    queue: SLACK_DELIVERIES_QUEUE,
    prefix: DEFAULT_PREFIX,
    redisUrl: env.REDIS_URL!,
    workers: children.map((c) => ({ go: () => Promise.resolve(), cpuMark: () => c.cpuMark(), cpuRead: () => c.cpuRead() })),
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
    teardown,
  });
}

/** The median round by rate, with its CPU figures. */
function medianRound(rounds: DrainResult[]): DrainResult {
  const sorted = [...rounds].sort((a, b) => a.rate - b.rate);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

interface Pair {
  delivered: DrainResult;
  floor: DrainResult;
}

/**
 * The round whose delivery rate over the bare post-only worker's rate in the same round is the
 * median. Paired, not two medians: the two sides of a round run back to back, so a slow or fast
 * spell of the machine (rates can differ by half from one round to the next) moves both.
 */
function medianPair({ floor, delivered }: Rounds): Pair {
  const pairs = delivered.map((d, i) => ({ delivered: d, floor: floor[i]! }));
  pairs.sort((a, b) => a.delivered.rate / a.floor.rate - b.delivered.rate / b.floor.rate);
  return pairs[Math.floor((pairs.length - 1) / 2)]!;
}

function pairedRatios({ floor, delivered }: Rounds): string {
  return delivered.map((d, i) => `${(d.rate / floor[i]!.rate).toFixed(2)}×`).join(' / ');
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

interface Rounds {
  raw: DrainResult[];
  /** Bare BullMQ jobs that only post their message: what any delivery over HTTP costs on this machine. */
  floor: DrainResult[];
  delivered: DrainResult[];
}

type Side = [name: string, drainer: Drainer, results: DrainResult[]];

/** Measures one worker count: the three sides started and warmed up, then their rounds interleaved, so a disturbance hits all. */
async function measure(ctx: BenchContext, sinks: { jeeves: SlackSink; floor: SlackSink }, workers: number, env: Env): Promise<Rounds> {
  const redis = await ctx.redis();
  const sides: Drainer[] = [];
  try {
    const raw = await startRawSide(ctx, redis.url, workers);
    sides.push(raw);
    const floor = await startRawSide(ctx, redis.url, workers, { apiUrl: sinks.floor.url, token: sinks.floor.token });
    sides.push(floor);
    const jeeves = await startJeevesSide(ctx, sinks.jeeves, workers, env);
    sides.push(jeeves);
    const result: Rounds = { raw: [], floor: [], delivered: [] };
    const bare: Side = ['bare BullMQ + post', floor, result.floor];
    const ours: Side = ['Jeeves delivery', jeeves, result.delivered];
    for (let round = 0; round < ctx.settings.deliveryRounds; round++) {
      // The two sides compared run back to back, each first every other round; the raw side, compared with neither, ends the round.
      const sides: Side[] = [...(round % 2 === 0 ? [bare, ours] : [ours, bare]), ['raw BullMQ no-op', raw, result.raw]];
      ctx.log(`delivery: ${workers} worker(s), round ${round + 1}: ${sides.map(([name]) => name).join(', then ')}`);
      for (const [, side, results] of sides) results.push(await side.round());
    }
    return result;
  } finally {
    for (const side of sides.reverse()) await side.close();
  }
}

/**
 * Issue 4: how fast the delivery queue empties into the Slack stand-in (no rate limiting, one
 * HTTP post each: a first try looks nowhere else) with one and with two worker processes, against
 * bare BullMQ no-op workers measured the same way in the same run, rounds interleaved.
 */
async function runDelivery(ctx: BenchContext): Promise<BenchRow[]> {
  const [redis, sink, floorSink] = await Promise.all([ctx.redis(), startSlackSink({ keepArrivals: false }), startSlackSink({ keepArrivals: false })]);
  const env = await jeevesEnv(ctx, { slackApiUrl: sink.url, botToken: sink.token, slackRateLimit: false });
  const rows: BenchRow[] = [];
  try {
    for (const workers of [1, 2]) {
      const rounds = await measure(ctx, { jeeves: sink, floor: floorSink }, workers, env);
      await redis.clear();
      const [raw, floor] = [medianRound(rounds.raw), medianRound(rounds.floor)];
      const pair = medianPair(rounds);
      const delivered = pair.delivered;
      const plural = workers === 1 ? '1 worker process' : `${workers} worker processes`;
      const spread = (all: DrainResult[]) => all.map((r) => Math.round(r.rate)).join(' / ');
      rows.push(row({ section: SECTION, name: `raw BullMQ no-op jobs, ${plural}`, value: raw.rate, unit: 'jobs/s', note: `rounds ${spread(rounds.raw)} jobs/s` }));
      rows.push(
        row({
          section: SECTION,
          name: `raw BullMQ jobs that only post to the stand-in, ${plural}`,
          value: floor.rate,
          unit: 'msg/s',
          baseline: { name: 'raw BullMQ', value: raw.rate },
          note:
            `what one HTTP post per message costs here: a bare worker posting with undici's request API, no retries, keys, records, metrics or log context; ` +
            `rounds ${spread(rounds.floor)} msg/s; CPU per message: workers ${ms(floor.cpuMsPerMessage)}, Redis ${ms(floor.redisCpuMsPerMessage)}, Slack stand-in ${ms(floor.benchCpuMsPerMessage)}`,
        }),
      );
      rows.push(
        row({
          section: SECTION,
          name: `delivery to the Slack stand-in, ${plural}`,
          value: delivered.rate,
          unit: 'msg/s',
          baseline: { name: 'bare post-only worker, same round', value: pair.floor.rate },
          target: { kind: 'ratio-at-least', min: 0.9 },
          note:
            `the round of ${ctx.settings.deliveryRounds} whose ratio to the bare post-only worker's in the same round is the median (${pairedRatios(rounds)}); ` +
            `rounds of ${ctx.settings.deliveryMessages} messages (raw: twice as many), queued while paused, after a warm-up of ${WARMUP}, the two sides back to back (each first every other round), then the raw side; ` +
            `rounds ${spread(rounds.delivered)} msg/s; ${(delivered.rate / raw.rate).toFixed(2)}× raw no-op BullMQ; concurrency ${CONCURRENCY} per process on both sides; no rate limiter; ` +
            `CPU per message (that round; bare post-only: the same round; raw: its median round): ` +
            `workers ${ms(delivered.cpuMsPerMessage)} (bare post-only ${ms(pair.floor.cpuMsPerMessage)}, raw ${ms(raw.cpuMsPerMessage)}), ` +
            `Redis ${ms(delivered.redisCpuMsPerMessage)} (bare post-only ${ms(pair.floor.redisCpuMsPerMessage)}, raw ${ms(raw.redisCpuMsPerMessage)}), ` +
            `Slack stand-in ${ms(delivered.benchCpuMsPerMessage)} (raw side's polling ${ms(raw.benchCpuMsPerMessage)})`,
        }),
      );
    }
  } finally {
    await Promise.all([sink.close(), floorSink.close()]);
    await redis.clear();
  }
  return rows;
}

export const deliverySection: BenchSection = { id: 'delivery', issue: 4, title: 'Delivery throughput vs bare BullMQ workers', run: runDelivery, needsBuild: true };
