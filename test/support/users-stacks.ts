import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/platform/app';
import { createUsersHttpClient, createUsersService, usersRouter, type UsersService } from '../../src/modules/users';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createTestDatabase } from './database';

/** A UsersService to test against, and how to tear it down. */
export interface UsersSubject {
  users: UsersService;
  close(): Promise<void>;
}

const logger = createLogger({ level: 'silent' });

/** The in-process users service on a fresh test database. */
export async function usersInProcess(): Promise<UsersSubject> {
  const db = await createTestDatabase();
  return { users: createUsersService({ dataSource: db.dataSource, logger }), close: db.drop };
}

/** The users HTTP client against the real adapter served by createApp on 127.0.0.1, on a fresh test database. */
export async function usersOverHttp(): Promise<UsersSubject> {
  const db = await createTestDatabase();
  const service = createUsersService({ dataSource: db.dataSource, logger });
  const app = createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: '/api/users', router: usersRouter({ users: service }) }] });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    users: createUsersHttpClient({ baseUrl: `http://127.0.0.1:${port}` }),
    close: async () => {
      // Clients keep connections alive; close them or server.close waits for their timeout.
      server.closeAllConnections();
      server.close();
      await db.drop();
    },
  };
}
