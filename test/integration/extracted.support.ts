import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineTokensService, type TokensServiceTuning } from '../../extracted/tokens/main';
import { loadConfig, type Config, type Env } from '../../src/config';
import { createTokensService, tokensEntities } from '../../src/modules/tokens';
import type { UserRef, UsersService } from '../../src/modules/users';
import { createDataSource } from '../../src/platform/db/data-source';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createOpenApiResponseValidator, type OpenApiResponseValidator } from '../../src/platform/openapi';
import { createServiceTokenProvider } from '../../src/platform/service-auth';
import { SERVICE_TOKEN_ISSUER } from '../../src/platform/service-auth';
import { startService, type RunningService, type ServiceDefinition } from '../../src/service-host/service-host';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * Extracted services started for real (startService on port 0, real PostgreSQL), a caller
 * holding a real service token from the extracted tokens service, and a recording proxy that
 * checks every answer against the service's own /openapi.json.
 */

export const quietLogger = createLogger({ level: 'silent' });

export function serviceConfig(env: Env): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

export function start(definition: ServiceDefinition, env: Env): Promise<RunningService> {
  return startService(definition, { config: serviceConfig(env), port: 0, logger: quietLogger, metrics: createMetrics({ defaults: false }) });
}

/** Every answer that passed through, checked against the document; close() fails on any mismatch. */
export interface CheckingProxy {
  url: string;
  violations: string[];
  /** Documented operations that were called, as "GET /api/users/{teamId}/{userId}". */
  seen: Set<string>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'content-encoding']);

function forwardable(headers: IncomingHttpHeaders | Headers): Array<[string, string]> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')] as [string, string]);
  return entries.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
}

async function stopServer(server: Server): Promise<void> {
  // fetch keeps connections alive; close them or server.close waits for their timeout.
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

export async function startCheckingProxy(target: string): Promise<CheckingProxy> {
  const validator: OpenApiResponseValidator = createOpenApiResponseValidator(await (await fetch(`${target}/openapi.json`)).json());
  const violations: string[] = [];
  const seen = new Set<string>();
  const server = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const upstream = await fetch(`${target}${path}`, { method, headers: forwardable(req.headers), ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
      const text = await upstream.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const operation = validator.operationOf(method, path);
      if (operation) seen.add(operation);
      const contentType = upstream.headers.get('content-type');
      violations.push(...validator.check({ method, path, status: upstream.status, body, ...(contentType ? { contentType } : {}) }));
      res.writeHead(upstream.status, forwardable(upstream.headers).flat());
      res.end(text);
    } catch (err) {
      violations.push(`${method} ${path}: the proxy could not forward it: ${String(err)}`);
      res.writeHead(502).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    violations,
    seen,
    close: async () => {
      await stopServer(server);
      if (violations.length > 0) throw new Error(`answers that contradict /openapi.json:\n${violations.join('\n')}`);
    },
  };
}

export interface TokensStack {
  service: RunningService;
  db: TestDatabase;
  /** Registers a client allowed these audiences and returns its secret. */
  register(clientId: string, audiences: string[]): Promise<string>;
  close(): Promise<void>;
}

/** A test database with the extracted tokens service on it. */
export async function startTokensStack(tuning: TokensServiceTuning = {}): Promise<TokensStack> {
  const db = await createTestDatabase();
  const service = await start(defineTokensService(tuning), { DATABASE_URL: db.url });
  // Clients are provisioned in the tokens database, as an operator would; the service has no admin API.
  const admin = createDataSource({ url: db.url, entities: tokensEntities, migrations: [], poolSize: 2 });
  await admin.initialize();
  const tokens = createTokensService({ dataSource: admin, logger: quietLogger, issuer: SERVICE_TOKEN_ISSUER });
  return {
    service,
    db,
    register: async (clientId, audiences) => (await tokens.registerClient(clientId, audiences)).clientSecret,
    close: async () => {
      await service.close();
      await admin.destroy();
      await db.drop();
    },
  };
}

export interface ExtractedStack {
  service: RunningService;
  /** The service behind the checking proxy: what clients under test call. */
  checkedUrl: string;
  proxy: CheckingProxy;
  tokens: TokensStack;
  /** A valid service token for this service, cached and refreshed like any caller's. */
  headers(): Promise<Record<string, string>>;
  /** Stops everything; fails when an answer contradicted the document. */
  close(): Promise<void>;
}

/** The service on the tokens stack's database, verifying tokens through the tokens service's JWKS URL. */
export async function startExtracted(definition: ServiceDefinition, env: Env = {}): Promise<ExtractedStack> {
  const tokens = await startTokensStack();
  const service = await start(definition, {
    DATABASE_URL: tokens.db.url,
    TOKENS_JWKS_URL: `${tokens.service.url}/.well-known/jwks.json`,
    ...env,
  });
  const proxy = await startCheckingProxy(service.url);
  const clientId = `caller-of-${definition.name}`;
  const provider = createServiceTokenProvider({
    tokenUrl: `${tokens.service.url}/oauth/token`,
    clientId,
    clientSecret: await tokens.register(clientId, [definition.name]),
    audience: definition.name,
  });
  return {
    service,
    checkedUrl: proxy.url,
    proxy,
    tokens,
    headers: () => provider.headers(),
    close: async () => {
      await service.close();
      await tokens.close();
      await proxy.close();
    },
  };
}

/** Every users operation once, and its not-found and unknown-setting errors: what a document's check needs to see. */
export async function exerciseUsersApi(users: UsersService, ref: UserRef, stranger: UserRef): Promise<void> {
  await users.getOrCreate(ref, { displayName: 'Bertie' });
  await users.get(ref);
  await users.setLocation(ref, { name: 'Paris', latitude: 48.85, longitude: 2.35, timezone: 'Europe/Paris' });
  await users.setSetting(ref, 'units', 'imperial');
  await users.getSetting(ref, 'units');
  await users.listSettings(ref);
  await users.unsetSetting(ref, 'units');
  await users.unsetLocation(ref);
  await users.list({ limit: 2 });
  await expect(users.get(stranger)).rejects.toMatchObject({ code: 'USERS.NOT_FOUND' });
  await expect(users.setSetting(ref, 'colour', 'blue')).rejects.toMatchObject({ code: 'USERS.UNKNOWN_SETTING' });
}
