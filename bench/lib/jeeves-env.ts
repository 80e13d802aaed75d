import { join } from 'node:path';
import type { Env } from '../../src/config';
import type { BenchContext } from './context';

export interface JeevesEnvOptions {
  slackApiUrl: string;
  botToken: string;
  /** Production logs at info; the bench defaults to warn so a log line per message does not flood the terminal. */
  logLevel?: string;
  /** Slack's per-channel limit of about one message per second (SLACK_RATE_LIMIT); on unless said. */
  slackRateLimit?: boolean;
  /** FLAGS_FILE, inside the run's data directory (default flags.json there: absent, so every flag is off). */
  flagsFile?: string;
}

/** Nothing listens on the discard port: a bench never reaches the internet, even by mistake. */
const CLOSED = 'http://127.0.0.1:9';

/**
 * The environment `npm start` would be given on a deployment, every URL on 127.0.0.1. All
 * processes of a run share one data directory, as the processes of one deployment share their
 * secrets: the monolith's service-client secret lives there, and the database remembers it.
 */
export async function jeevesEnv(ctx: BenchContext, options: JeevesEnvOptions): Promise<Env> {
  const [database, redis] = await Promise.all([ctx.database(), ctx.redis()]);
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: options.logLevel ?? process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    SLACK_SIGNING_SECRET: ctx.signingSecret,
    SLACK_BOT_TOKEN: options.botToken,
    SLACK_API_URL: options.slackApiUrl,
    SLACK_RATE_LIMIT: options.slackRateLimit === false ? 'off' : 'on',
    WEATHER_API_URL: `${CLOSED}/v1/forecast`,
    GEOCODING_API_URL: `${CLOSED}/v1/search`,
    FLAGS_FILE: join(ctx.dataDir, options.flagsFile ?? 'flags.json'),
    JEEVES_DATA_DIR: ctx.dataDir,
  };
}
