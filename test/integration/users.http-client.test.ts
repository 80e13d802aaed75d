import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { Router } from 'express';
import { createApp } from '../../src/platform/app';
import { createFakeUsersService, createUsersHttpClient, usersRouter } from '../../src/modules/users';
import { runWithContext } from '../../src/platform/context';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';

/** What only the HTTP client does: headers out, and the remote side failing in its various ways. */
const ref = { teamId: 'T0123ABCD', userId: 'U0123ABCD' };

async function listen(server: Server | TcpServer): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; status?: number };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('users HTTP client', () => {
  describe('against the adapter', () => {
    const seen: IncomingHttpHeaders[] = [];
    let server: Server;
    let baseUrl: string;

    beforeAll(async () => {
      const logger = createLogger({ level: 'silent' });
      const recorder = Router();
      recorder.use((req, _res, next) => {
        seen.push(req.headers);
        next();
      });
      recorder.use(usersRouter({ users: createFakeUsersService() }));
      server = createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: '/api/users', router: recorder }] }).listen(0, '127.0.0.1');
      await once(server, 'listening');
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => {
      server.closeAllConnections();
      server.close();
    });
    beforeEach(() => {
      seen.length = 0;
    });

    it('asks headers() before every call and sends what it returns', async () => {
      let issued = 0;
      const users = createUsersHttpClient({ baseUrl, headers: async () => ({ authorization: `Bearer token-${++issued}` }) });
      await users.getOrCreate(ref);
      await users.get(ref);
      expect(seen.map((h) => h.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    });

    it('by default carries the request id of the current context and a child of its trace', async () => {
      const users = createUsersHttpClient({ baseUrl });
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await runWithContext({ requestId: 'req-42', traceparent }, () => users.getOrCreate(ref));
      expect(seen[0]).toMatchObject({ 'x-request-id': 'req-42', traceparent: expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/) });
      expect(seen[0]!.traceparent).not.toBe(traceparent);
    });

    it('when a bad argument would make a wrong URL, then it rejects without calling the service', async () => {
      const users = createUsersHttpClient({ baseUrl });
      expect(await rejection(users.get({ teamId: '../..', userId: 'U0123ABCD' }))).toMatchObject({ code: 'HTTP.VALIDATION' });
      expect(await rejection(users.getSetting(ref, '..'))).toMatchObject({ code: 'USERS.UNKNOWN_SETTING' });
      expect(seen).toEqual([]);
    });
  });

  describe('when the remote side fails', () => {
    const servers: Array<Server | TcpServer> = [];
    const sockets: Socket[] = [];
    afterAll(() => {
      for (const socket of sockets) socket.destroy();
      for (const server of servers) server.close();
    });

    it('when the service does not answer in time, then USERS.UNAVAILABLE (503)', async () => {
      const silent = createTcpServer((socket) => sockets.push(socket));
      servers.push(silent);
      const users = createUsersHttpClient({ baseUrl: `http://127.0.0.1:${await listen(silent)}`, timeoutMs: 100 });
      expect(await rejection(users.get(ref))).toMatchObject({ code: 'USERS.UNAVAILABLE', status: 503 });
    });

    it('when nothing listens, then USERS.UNAVAILABLE (503)', async () => {
      const gone = createTcpServer();
      const port = await listen(gone);
      gone.close();
      await once(gone, 'close');
      const users = createUsersHttpClient({ baseUrl: `http://127.0.0.1:${port}` });
      expect(await rejection(users.get(ref))).toMatchObject({ code: 'USERS.UNAVAILABLE', status: 503 });
    });

    it('when the body is not a profile, then USERS.BAD_RESPONSE (503)', async () => {
      const wrong = createHttpServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ teamId: 1 }));
      });
      servers.push(wrong);
      const users = createUsersHttpClient({ baseUrl: `http://127.0.0.1:${await listen(wrong)}` });
      expect(await rejection(users.get(ref))).toMatchObject({ code: 'USERS.BAD_RESPONSE', status: 503 });
    });
  });
});
