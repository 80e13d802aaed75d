import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenMeteoStandIn, type OpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { loadConfig, type Env } from '../../src/config';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure/infrastructure';
import { signSlackRequest, SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE } from '../../src/modules/slack';
import { wireJeeves, type Jeeves } from '../../src/monolith/jeeves';
import type { Clock } from '../../src/platform/queue';
import { createTestDatabase, type TestDatabase } from './database';
import { scanLogs, secretsOf, type LogScan } from './log-scan';
import { ended, waitFor } from './queue-helpers';

/**
 * The whole monolith as `npm start` wires it, on a fresh test database, with Slack's Web API
 * and Open-Meteo replaced by local stand-ins speaking their wire formats.
 */
export interface JeevesHarness {
  jeeves: Jeeves;
  infra: Infrastructure;
  slack: SlackApiStandIn;
  openMeteo: OpenMeteoStandIn;
  database: TestDatabase;
  /** BullMQ's key prefix for this harness's queues. */
  queuePrefix: string;
  signingSecret: string;
  /** A signed Events API body and headers for a DM with this text. */
  signedDm(text: string, options?: { eventId?: string; userId?: string; channel?: string; teamId?: string }): { body: string; headers: Record<string, string> };
  /**
   * Resolves once nothing waits, runs or waits for a retry on each queue in turn (by default
   * events, then the deliveries they queue): every accepted event has been answered and every
   * reply posted or given up, so no later post can come from them.
   */
  jobsEnded(queues?: string[], timeoutMs?: number): Promise<void>;
  /** Every log line of this monolith, scanned for secrets (close() fails on a leak). */
  logs: LogScan;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** A database that already holds something (a process starting on what an earlier one left); the caller drops it. */
  database?: TestDatabase;
  /** The in-process queue's time (ignored on BullMQ). */
  queueClock?: Clock;
  /** A Slack stand-in of the caller's (e.g. with its OAuth endpoints); the caller closes it. */
  slack?: SlackApiStandIn;
}

const SIGNING_SECRET = 'harness-signing-secret';
let counter = 0;
// Each test file loads this module afresh (counter back at 0) in a worker process that may have run
// others: the run's own mark keeps its Redis keys and flags file apart from theirs.
const RUN = randomBytes(4).toString('hex');

export async function startJeevesHarness(env: Env = {}, options: HarnessOptions = {}): Promise<JeevesHarness> {
  const [database, slack, openMeteo] = await Promise.all([options.database ?? createTestDatabase(), options.slack ?? startSlackApiStandIn(), startOpenMeteoStandIn()]);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.url,
    WEATHER_API_URL: openMeteo.forecastUrl,
    GEOCODING_API_URL: openMeteo.geocodingUrl,
    JEEVES_DATA_DIR: mkdtempSync(join(tmpdir(), 'jeeves-harness-')),
    FLAGS_FILE: join(tmpdir(), `jeeves-harness-flags-${process.pid}-${RUN}-${counter++}.json`),
    ...env,
  });
  // Every line, at trace, through the production redaction: close() fails if a secret got through.
  const configured = [SIGNING_SECRET, slack.token, config.SLACK_CLIENT_SECRET, config.SERVICE_CLIENT_SECRET, config.ADMIN_CLIENT_SECRET, config.SESSION_SECRET, config.TOKEN_ENCRYPTION_KEY];
  let secrets = secretsOf(configured);
  const scan = scanLogs(() => secrets);
  const logger = scan.logger;
  const prefix = `jt-harness-${process.pid}-${RUN}-${counter++}`;
  // The queue prefix hash-tagged, as a Redis Cluster needs; one node does not mind.
  const queuePrefix = `{${prefix}}:bull`;
  const infra = await openInfrastructure({
    config,
    logger,
    queuePrefix,
    cachePrefix: `${prefix}:cache:`,
    keyPrefix: `${prefix}:`,
    ...(options.queueClock ? { queueClock: options.queueClock } : {}),
  });
  let jeeves: Jeeves;
  try {
    jeeves = await wireJeeves(infra);
    // The development secrets it generated, once they exist.
    secrets = secretsOf(configured, config.JEEVES_DATA_DIR);
    await jeeves.startWorkers();
  } catch (err) {
    // A start that fails (the case some tests are about) leaves nothing running behind it.
    await infra.close(0);
    await Promise.all([options.slack ? undefined : slack.close(), openMeteo.close()]);
    if (!options.database) await database.drop();
    throw err;
  }
  return {
    jeeves,
    infra,
    slack,
    openMeteo,
    database,
    queuePrefix,
    signingSecret: SIGNING_SECRET,
    logs: scan,
    signedDm(text, options = {}) {
      const eventId = options.eventId ?? `Ev${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase();
      const teamId = options.teamId ?? 'T061EG9R6';
      const body = JSON.stringify({
        token: 'unused',
        team_id: teamId,
        api_app_id: 'A0MDYCDME',
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'U0LAN0Z89', is_bot: true, is_enterprise_install: false }],
        event: {
          type: 'message',
          channel_type: 'im',
          channel: options.channel ?? 'D024BE91L',
          user: options.userId ?? 'U2147483697',
          text,
          ts: `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, '0')}`,
          team: teamId,
        },
      });
      return { body, headers: { 'content-type': 'application/json', ...signSlackRequest(SIGNING_SECRET, body) } };
    },
    async jobsEnded(queues = [SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE], timeoutMs = 30_000) {
      for (const name of queues) {
        await waitFor(() => ended(infra.queue, name), `nothing left to run on ${name}`, timeoutMs);
      }
    },
    async close() {
      await jeeves.close();
      await infra.close(2000);
      await Promise.all([options.slack ? undefined : slack.close(), openMeteo.close()]);
      if (!options.database) await database.drop();
      const leaks = scan.leaks();
      if (leaks.length > 0) throw new Error(`secrets in ${leaks.length} of ${scan.lines()} log lines:\n${leaks.join('\n')}`);
    },
  };
}

/** Polls until the predicate holds, or fails with what was last seen. */
export async function eventually<T>(probe: () => T | Promise<T>, predicate: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!predicate(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = await probe();
  }
  return last;
}
