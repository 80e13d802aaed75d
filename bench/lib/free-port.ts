import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A port free right now on 127.0.0.1, for a service whose URL other processes must know before
 * it starts (the monolith's config names USERS_SERVICE_URL up front). The port could be taken
 * in between; on this machine, in a bench, that race is remote.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
