/**
 * The real Slack delivery worker (createSlackDelivery on BullMQ, the real Web API client, the
 * dev outbox on a test database) in a process of its own, for the tests that SIGKILL it mid-delivery.
 * Usage: node --import tsx test/support/delivery-worker-child.ts
 * Environment: REDIS_URL, QUEUE_PREFIX, DATABASE_URL, SLACK_API_URL, SLACK_BOT_TOKEN, and HOLD:
 *   before-post   prints "posting <text>" and never calls Slack (killed before the post left);
 *   after-post    posts, prints "posted <key>" once Slack answered, never acknowledges the job;
 *   none          prints "posting <text>" and posts (the test holds the answer in the stand-in).
 * Prints "ready" once the worker is consuming.
 */
import { allEntities } from '../../src/infrastructure/tables';
import { createDevOutbox, createSlackDelivery, createSlackRateLimiter, createSlackWebClient } from '../../src/modules/slack';
import { createDataSource } from '../../src/platform/db/data-source';
import { createLogger } from '../../src/platform/logger';
import { createJobQueue } from '../../src/platform/queue';

const { REDIS_URL, QUEUE_PREFIX, DATABASE_URL, SLACK_API_URL, SLACK_BOT_TOKEN, HOLD = 'none' } = process.env;
if (!REDIS_URL || !QUEUE_PREFIX || !DATABASE_URL || !SLACK_API_URL || !SLACK_BOT_TOKEN || !['before-post', 'after-post', 'none'].includes(HOLD)) {
  process.stderr.write('delivery-worker-child.ts: set REDIS_URL, QUEUE_PREFIX, DATABASE_URL, SLACK_API_URL, SLACK_BOT_TOKEN, HOLD=before-post|after-post|none\n');
  process.exit(2);
}

const forever = () => new Promise<never>(() => undefined);
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const logger = createLogger({ level: 'warn' });
  const dataSource = createDataSource({ url: DATABASE_URL!, entities: allEntities(), migrations: [], poolSize: 2 });
  await dataSource.initialize();
  const queue = createJobQueue({ redisUrl: REDIS_URL!, prefix: QUEUE_PREFIX!, logger, lockDurationMs: 1000, stalledIntervalMs: 300 });
  const client = createSlackWebClient({ apiUrl: SLACK_API_URL!, timeoutMs: 10_000 });
  const delivery = createSlackDelivery({
    queue,
    client: {
      async postMessage(request) {
        say(`posting ${request.text}`);
        if (HOLD === 'before-post') return forever();
        const posted = await client.postMessage(request);
        if (HOLD === 'after-post') {
          say(`posted ${request.key ?? ''}`);
          return forever();
        }
        return posted;
      },
      findPosted: (request) => client.findPosted(request),
    },
    outbox: createDevOutbox(dataSource),
    tokens: async () => SLACK_BOT_TOKEN,
    logger,
    concurrency: 1,
    limiter: createSlackRateLimiter({ enabled: false }),
  });
  delivery.start();
  say('ready');
}

main().catch((err: unknown) => {
  process.stderr.write(`delivery-worker-child.ts failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
