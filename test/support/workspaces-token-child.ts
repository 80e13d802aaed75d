/**
 * A second process asking the workspaces module for a bot token, for the test that races
 * processes over one rotating token. It opens its own connection, prints "ready", and on a
 * line "go" on stdin asks once and prints "token <token>" or "error <code>".
 * Usage: node --import tsx test/support/workspaces-token-child.ts
 * Environment: DATABASE_URL, SLACK_API_URL, SLACK_OAUTH_URL, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET,
 *   TOKEN_ENCRYPTION_KEY (one base64 key), NOW (the clock, epoch ms), TEAM.
 */
import { createInterface } from 'node:readline';
import { createWorkspaces, workspacesEntities } from '../../src/modules/workspaces';
import { createKeyring, decodeKey } from '../../src/platform/crypto';
import { createDataSource } from '../../src/platform/db/data-source';
import { createLogger } from '../../src/platform/logger';

const { DATABASE_URL, SLACK_API_URL, SLACK_OAUTH_URL, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, TOKEN_ENCRYPTION_KEY, NOW, TEAM } = process.env;
const key = decodeKey(TOKEN_ENCRYPTION_KEY ?? '');
if (!DATABASE_URL || !SLACK_API_URL || !SLACK_OAUTH_URL || !SLACK_CLIENT_ID || !SLACK_CLIENT_SECRET || !key || !NOW || !TEAM) {
  process.stderr.write('workspaces-token-child.ts: set DATABASE_URL, SLACK_API_URL, SLACK_OAUTH_URL, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, TOKEN_ENCRYPTION_KEY, NOW, TEAM\n');
  process.exit(2);
}

async function main(): Promise<void> {
  const dataSource = createDataSource({ url: DATABASE_URL!, entities: workspacesEntities, migrations: [], poolSize: 2 });
  await dataSource.initialize();
  const workspaces = createWorkspaces({
    dataSource,
    keyring: createKeyring([key!]),
    slackApiUrl: SLACK_API_URL!,
    oauthUrl: SLACK_OAUTH_URL!,
    clientId: SLACK_CLIENT_ID,
    clientSecret: SLACK_CLIENT_SECRET,
    publicUrl: 'http://jeeves.test',
    logger: createLogger({ level: 'warn' }),
    clock: () => Number(NOW),
  });
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) {
    if (line.trim() !== 'go') continue;
    try {
      process.stdout.write(`token ${await workspaces.botTokenFor(TEAM!)}\n`);
    } catch (err) {
      process.stdout.write(`error ${(err as { code?: string }).code ?? String(err)}\n`);
    }
    break;
  }
  lines.close();
  await dataSource.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`workspaces-token-child.ts failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
