import { once } from 'node:events';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { Router } from 'express';
import { createApp } from '../../src/platform/app';
import { createFakeUsersService, createUsersHttpClient, usersRemotePolicy, usersRouter, type UserRef, type UsersService } from '../../src/modules/users';
import { runWithContext } from '../../src/platform/context';
import { createFakeFlagResolver, type FakeFlagResolver } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import {
  createModuleSwitch,
  createRoutingRegistry,
  parseTraceparent,
  remoteHeaders,
  switchMetrics,
  type BreakerOptions,
  type RoutingRegistry,
} from '../../src/platform/remote';
// The provider's own file: service-auth's index also loads jose, which this Jest setup cannot require.
import { createServiceTokenProvider } from '../../src/platform/service-auth/service-token.provider';

/**
 * The switch over real HTTP: the users HTTP client against the real users router served by
 * createApp on 127.0.0.1, with remoteHeaders() producing its headers.
 */

const ann: UserRef = { teamId: 'T0123ABCD', userId: 'U0000ANN1' };
const bob: UserRef = { teamId: 'T0123ABCD', userId: 'U0000BOB1' };
const paris = { name: 'Paris', latitude: 48.85, longitude: 2.35, timezone: 'Europe/Paris' };
const INCOMING = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

async function listen(server: Server | TcpServer): Promise<number> {
  if (!server.listening) server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** The extracted users service as far as the switch can tell: records headers, can refuse tokens. */
async function startRemoteUsers() {
  const seen: IncomingHttpHeaders[] = [];
  let accepts: (authorization: string | undefined) => boolean = () => true;
  const store = createFakeUsersService();
  const gate = Router();
  gate.use((req, res, next) => {
    seen.push(req.headers);
    if (accepts(req.headers.authorization)) return next();
    res.status(401).json({ error: { code: 'AUTH.INVALID_TOKEN', message: 'The token has expired.' } });
  });
  gate.use(usersRouter({ users: store }));
  const logger = createLogger({ level: 'silent' });
  const server = createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: '/api/users', router: gate }] }).listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${await listen(server)}/`;
  return { server, baseUrl, seen, store, accept: (f: typeof accepts) => (accepts = f) };
}

type RemoteUsers = Awaited<ReturnType<typeof startRemoteUsers>>;

const registries: RoutingRegistry[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.close()));

function switchedUsers(baseUrl: string, { flags = createFakeFlagResolver(), breaker }: { flags?: FakeFlagResolver; breaker?: BreakerOptions } = {}) {
  const issued: string[] = [];
  const tokenProvider = createServiceTokenProvider({
    audience: 'users',
    source: {
      async issue() {
        issued.push(`t${issued.length + 1}`);
        return { token: issued[issued.length - 1]!, expiresIn: 300 };
      },
    },
  });
  const local = createFakeUsersService();
  const metrics = createMetrics({ defaults: false });
  const registry = createRoutingRegistry();
  registries.push(registry);
  const users = createModuleSwitch<UsersService>({
    module: 'users',
    local,
    remote: createUsersHttpClient({ baseUrl, headers: remoteHeaders({ tokenProvider }), timeoutMs: 1000 }),
    flags,
    policy: usersRemotePolicy,
    metrics,
    logger: createLogger({ level: 'silent' }),
    tokenProvider,
    retry: { attempts: 3, baseMs: 5 },
    ...(breaker ? { breaker } : {}),
    registry,
  });
  const outcomes = async () => {
    const { values } = await switchMetrics(metrics.registry).calls.get();
    return Object.fromEntries(values.map((v) => [`${String(v.labels.method)}/${String(v.labels.route)}/${String(v.labels.outcome)}`, v.value]));
  };
  return { users, local, flags, issued, outcomes, registry, metrics };
}

describe('module switch over HTTP', () => {
  let remote: RemoteUsers;

  beforeAll(async () => {
    remote = await startRemoteUsers();
    await remote.store.getOrCreate(ann, { displayName: 'Ann (remote)' });
  });
  afterAll(() => {
    remote.server.closeAllConnections();
    remote.server.close();
  });
  beforeEach(() => {
    remote.seen.length = 0;
    remote.accept(() => true);
  });

  it('when users-remote is on, then the extracted service answers, with token, request id and a child traceparent', async () => {
    const { users } = switchedUsers(remote.baseUrl, { flags: createFakeFlagResolver({ 'users-remote': true }) });
    const profile = await runWithContext({ requestId: 'req-77', traceparent: INCOMING, userId: ann.userId }, () => users.get(ann));

    expect(profile.displayName).toBe('Ann (remote)');
    expect(remote.seen).toHaveLength(1);
    const headers = remote.seen[0]!;
    expect(headers).toMatchObject({ authorization: 'Bearer t1', 'x-request-id': 'req-77' });
    const sent = parseTraceparent(headers.traceparent as string);
    expect(sent?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(sent?.parentId).not.toBe('b7ad6b7169203331');
  });

  it('when users-remote is off, then the in-process service answers and nothing reaches the extracted one', async () => {
    const { users, local } = switchedUsers(remote.baseUrl);
    await local.getOrCreate(ann, { displayName: 'Ann (local)' });
    expect((await users.get(ann)).displayName).toBe('Ann (local)');
    expect(remote.seen).toEqual([]);
  });

  it('a flag flip takes effect on the next call, with the same switch', async () => {
    const { users, local, flags } = switchedUsers(remote.baseUrl);
    await local.getOrCreate(ann, { displayName: 'Ann (local)' });
    const names = [];
    names.push((await users.get(ann)).displayName);
    flags.set('users-remote', true);
    names.push((await users.get(ann)).displayName);
    flags.set('users-remote', false);
    names.push((await users.get(ann)).displayName);
    expect(names).toEqual(['Ann (local)', 'Ann (remote)', 'Ann (local)']);
  });

  it('passes USERS.NOT_FOUND from the service through unchanged: one request, no fallback, breaker closed', async () => {
    const { users, outcomes, registry } = switchedUsers(remote.baseUrl, {
      flags: createFakeFlagResolver({ 'users-remote': true }),
      breaker: { volumeThreshold: 1, errorThresholdPercentage: 1 },
    });
    await expect(users.get(bob)).rejects.toMatchObject({ code: 'USERS.NOT_FOUND', status: 404 });
    expect(remote.seen).toHaveLength(1);
    expect(await outcomes()).toEqual({ 'get/remote/refused': 1 });
    expect(registry.routingStatus()[0]?.breaker).toBe('closed');
  });

  it('when the service refuses the token once, then a fresh token is fetched and the call retried', async () => {
    remote.accept((authorization) => authorization !== 'Bearer t1');
    const { users, issued } = switchedUsers(remote.baseUrl, { flags: createFakeFlagResolver({ 'users-remote': true }) });
    expect((await users.get(ann)).displayName).toBe('Ann (remote)');
    expect(remote.seen.map((h) => h.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    expect(issued).toEqual(['t1', 't2']);
  });

  it('in shadow mode, answers in-process and counts a remote answer that differs', async () => {
    const { users, local, metrics } = switchedUsers(remote.baseUrl, { flags: createFakeFlagResolver({ 'users-shadow': true }) });
    await local.getOrCreate(ann, { displayName: 'Ann (local)' });
    expect((await users.get(ann)).displayName).toBe('Ann (local)');
    const mismatches = async () => (await switchMetrics(metrics.registry).shadowMismatches.get()).values.reduce((n, v) => n + v.value, 0);
    const deadline = Date.now() + 2000;
    while ((await mismatches()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await mismatches()).toBe(1);
    expect(remote.seen).toHaveLength(1);
  });
});

describe('module switch over HTTP: the service is down', () => {
  let connections = 0;
  let dead: TcpServer;
  let baseUrl: string;

  beforeAll(async () => {
    // Accepts and drops every connection: each attempt is visible here, and fails like a crashed service.
    dead = createTcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    baseUrl = `http://127.0.0.1:${await listen(dead)}/`;
  });
  afterAll(() => dead.close());
  beforeEach(() => {
    connections = 0;
  });

  it('retries an idempotent read, then falls back in-process; a write fails with USERS.REMOTE_UNAVAILABLE', async () => {
    const { users, local, outcomes } = switchedUsers(baseUrl, {
      flags: createFakeFlagResolver({ 'users-remote': true }),
      breaker: { volumeThreshold: 100 },
    });
    await local.getOrCreate(ann, { displayName: 'Ann (local)' });

    expect((await users.get(ann)).displayName).toBe('Ann (local)');
    expect(connections).toBe(3);
    await expect(users.setLocation(ann, paris)).rejects.toMatchObject({ code: 'USERS.REMOTE_UNAVAILABLE', status: 503 });
    expect(connections).toBe(6);
    expect((await local.get(ann)).location).toBeNull();
    expect(await outcomes()).toMatchObject({ 'get/remote/fallback': 1, 'setLocation/remote/error': 1 });
  });

  it('opens the breaker after repeated failures: no more connections, the policy answers at once', async () => {
    const { users, local, outcomes, registry } = switchedUsers(baseUrl, {
      flags: createFakeFlagResolver({ 'users-remote': true }),
      breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeout: 60_000 },
    });
    await local.getOrCreate(ann, { displayName: 'Ann (local)' });
    await users.get(ann);
    expect(registry.routingStatus()[0]?.breaker).toBe('open');
    const before = connections;

    expect((await users.get(ann)).displayName).toBe('Ann (local)');
    await expect(users.setLocation(ann, paris)).rejects.toMatchObject({ code: 'USERS.REMOTE_UNAVAILABLE' });
    expect(connections).toBe(before);
    expect(await outcomes()).toMatchObject({ 'get/remote/fallback': 2, 'setLocation/remote/rejected': 1 });
  });
});
