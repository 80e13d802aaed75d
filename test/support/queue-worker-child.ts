/**
 * A BullMQ worker in a process of its own, for the test that kills it mid-job with SIGKILL.
 * Usage: node --import tsx test/support/queue-worker-child.ts <redisUrl> <prefix> <queue>
 * Prints "started <jobId>" once a job holds its lock, then never finishes it.
 */
import { createLogger } from '../../src/platform/logger';
import { createBullmqQueue } from '../../src/platform/queue/bullmq-queue';

const [redisUrl, prefix, queueName] = process.argv.slice(2);
if (!redisUrl || !prefix || !queueName) {
  process.stderr.write('usage: queue-worker-child.ts <redisUrl> <prefix> <queue>\n');
  process.exit(2);
}

const queue = createBullmqQueue({
  redisUrl,
  prefix,
  logger: createLogger({ level: 'warn' }),
  lockDurationMs: 1000,
  stalledIntervalMs: 500,
});

queue.work(queueName, async (job) => {
  process.stdout.write(`started ${job.id}\n`);
  await new Promise<never>(() => undefined);
});
process.stdout.write('ready\n');
