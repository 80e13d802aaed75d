import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Env } from '../../src/config';
import { openInfrastructure, type Infrastructure } from '../../src/infrastructure/infrastructure';
import { createLogger } from '../../src/platform/logger';
import { MONOLITH_CLIENT_ID, routeModules, type RoutedModules } from '../../src/monolith/wire-switched-modules';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * Two Jeeves processes on one database (web and worker containers, say), each with its own data
 * directory: the service client they present for tokens must work for both, or remote calls
 * would be refused and quietly fall back in-process.
 */
const SECRET = 'a-configured-service-client-secret-of-40-chars';
const OTHER = 'another-configured-service-client-secret-00';

let database: TestDatabase;
const opened: Array<{ infra: Infrastructure; routed: RoutedModules }> = [];

async function startProcess(env: Env): Promise<RoutedModules> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    JEEVES_DATA_DIR: mkdtempSync(join(tmpdir(), 'jeeves-routing-')),
    // Processes sharing a database share the key that seals its secrets; each has a data directory of its own.
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    FLAGS_FILE: join(tmpdir(), `jeeves-routing-flags-${process.pid}.json`),
    ...env,
  });
  const infra = await openInfrastructure({ config, logger: createLogger({ level: 'silent' }) });
  const routed = await routeModules(infra);
  opened.push({ infra, routed });
  return routed;
}

const issue = (routed: RoutedModules, clientSecret: string) =>
  routed.tokens.issueToken({ clientId: MONOLITH_CLIENT_ID, clientSecret, audience: 'weather' });

beforeEach(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  for (const { infra, routed } of opened.splice(0)) {
    routed.routing.close();
    await infra.close();
  }
  await database.drop();
});

it('when two processes share SERVICE_CLIENT_SECRET, then both are issued service tokens', async () => {
  const web = await startProcess({ SERVICE_CLIENT_SECRET: SECRET });
  const worker = await startProcess({ SERVICE_CLIENT_SECRET: SECRET });
  await expect(issue(web, SECRET)).resolves.toMatchObject({ token_type: 'Bearer' });
  await expect(issue(worker, SECRET)).resolves.toMatchObject({ token_type: 'Bearer' });
});

it('when the configured secret changes, then the new one is accepted and the old one refused', async () => {
  await startProcess({ SERVICE_CLIENT_SECRET: OTHER });
  const restarted = await startProcess({ SERVICE_CLIENT_SECRET: SECRET });
  await expect(issue(restarted, SECRET)).resolves.toMatchObject({ token_type: 'Bearer' });
  await expect(issue(restarted, OTHER)).rejects.toMatchObject({ code: 'TOKENS.INVALID_CLIENT' });
});

it('when a process with a generated secret starts after a configured one, then it does not lock the configured one out', async () => {
  const configured = await startProcess({ SERVICE_CLIENT_SECRET: SECRET });
  await startProcess({});
  await expect(issue(configured, SECRET)).resolves.toMatchObject({ token_type: 'Bearer' });
});
