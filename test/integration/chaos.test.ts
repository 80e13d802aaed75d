import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { unleashInstalled } from '../../scripts/chaos/deployment';
import { runChaos, type ChaosReport } from '../../scripts/chaos/run';
import { describeNeeding } from '../support/describe-needing';
import { alive } from '../support/process-alive';

/**
 * Issue 13, the chaos run: 2 web processes, 2 worker pools, the users and weather services, a
 * real Unleash and a Redis of the run's own, as separate processes sharing only PostgreSQL,
 * Redis and Unleash. 2,000 chat messages and 100 reminders go in, through Slack's retries,
 * while a web process and both worker pools are SIGKILLed, the other web process drains on
 * SIGTERM, the users service is killed, Redis restarts and weather-remote moves 0 → 50 → 100 → 0.
 * Every message is answered once and correctly, every reminder delivered once, nothing
 * dead-lettered; and nothing of the run is left behind.
 */

function redisServerInstalled(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const found = redisServerInstalled() && unleashInstalled() ? true : undefined;
const absence = {
  needs: 'redis-server and the Unleash test server',
  state: 'not installed',
  remedy: 'install redis-server (apt-get install -y redis-server) and run `npm ci --prefix test/unleash`',
};

describeNeeding('the chaos run', found, absence, () => {
  const logDir = join(__dirname, '..', '..', 'test-output', 'chaos-test');
  let report: ChaosReport;

  beforeAll(async () => {
    report = await runChaos({
      messages: 2000,
      reminders: 100,
      sendSeconds: 100,
      adminDatabaseUrl: process.env.JEEVES_TEST_PG_ADMIN_URL!,
      logDir,
      say: () => undefined,
    });
    process.stdout.write(`${report.text}\n`);
  }, 330_000);

  it('answers every message exactly once and correctly, delivers every reminder once and dead-letters nothing, through every fault', () => {
    expect(report.problems).toEqual([]);
    expect(report.messages).toBe(2000);
    // Every process was started again after its fault (the weather service is never stopped).
    expect(report.restarts).toEqual({ redis: 1, 'web-1': 1, 'web-2': 1, 'worker-events': 1, 'worker-deliveries': 1, users: 1, weather: 0 });
    // The faults were felt: Slack had to retry some deliveries.
    expect(Object.values(report.slackRetries).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('leaves no process, no open log file and no database behind', async () => {
    expect(report.pids.length).toBeGreaterThanOrEqual(13);
    expect(report.pids.filter(alive)).toEqual([]);
    const open = readdirSync('/proc/self/fd').map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    });
    expect(open.filter((path) => path.startsWith(logDir))).toEqual([]);
    const client = new Client({ connectionString: process.env.JEEVES_TEST_PG_ADMIN_URL! });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [report.databases]);
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
