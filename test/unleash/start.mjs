/**
 * Starts a real Unleash server for Jeeves' integration tests and CI.
 *
 *   DATABASE_URL=postgres://... PORT=4242 node test/unleash/start.mjs
 *
 * Environment:
 *   DATABASE_URL         PostgreSQL database Unleash owns (it runs its own migrations). Required.
 *   PORT                 port on 127.0.0.1 (default 4242; 0 picks a free one).
 *   UNLEASH_ADMIN_TOKEN  admin API token to create at start-up (default: a random one).
 *   UNLEASH_API_TOKEN    backend (client) token for project "default", environment
 *                        "development" (default: a random one).
 *   UNLEASH_LOG_LEVEL    Unleash's own log level (default "warn").
 *
 * Prints one line `UNLEASH_READY {"url":...,"adminToken":...,"apiToken":...}` on stdout once
 * it answers HTTP, so a parent process can wait for it. SIGTERM/SIGINT stop it cleanly.
 * Nothing here reaches beyond this machine: version check and telemetry are off.
 */
import { randomBytes } from 'node:crypto';
import { start, ApiTokenType } from 'unleash-server';

const READY_MARK = 'UNLEASH_READY';

function fail(message) {
  process.stderr.write(`unleash test server: ${message}\n`);
  process.exit(1);
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) fail('DATABASE_URL is required (a PostgreSQL database Unleash may migrate).');
  const port = Number(process.env.PORT ?? 4242);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got "${process.env.PORT}".`);
  // Admin tokens are "*:*.<secret>"; backend tokens "<project>:<environment>.<secret>".
  const adminToken = process.env.UNLEASH_ADMIN_TOKEN || `*:*.jeeves-admin-${randomBytes(12).toString('hex')}`;
  const apiToken = process.env.UNLEASH_API_TOKEN || `default:development.jeeves-${randomBytes(12).toString('hex')}`;

  const unleash = await start({
    databaseUrl,
    // The machine's PostgreSQL speaks plain TCP; Unleash otherwise asks for TLS.
    db: { ssl: false, pool: { min: 0, max: 4 } },
    server: { host: '127.0.0.1', port, gracefulShutdownEnable: false, enableRequestLogger: false },
    logLevel: process.env.UNLEASH_LOG_LEVEL || 'warn',
    versionCheck: { enable: false },
    telemetry: false,
    authentication: {
      type: 'open-source',
      enableApiToken: true,
      createAdminUser: false,
      initApiTokens: [
        { tokenName: 'jeeves-admin', type: ApiTokenType.ADMIN, secret: adminToken, environment: '*', projects: ['*'] },
        { tokenName: 'jeeves-client', type: ApiTokenType.BACKEND, secret: apiToken, environment: 'development', projects: ['default'] },
      ],
    },
  });

  const address = unleash.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://127.0.0.1:${actualPort}`;

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await unleash.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  process.stdout.write(`${READY_MARK} ${JSON.stringify({ url, adminToken, apiToken })}\n`);
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
