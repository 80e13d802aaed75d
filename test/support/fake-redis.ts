import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A Redis that answers ioredis' handshake (CLIENT SETNAME, SELECT, INFO) and hands every other
 * command to `answer`, which writes a reply or none. Enough of RESP for tests: arrays of bulk
 * strings in, whatever `answer` writes out.
 */

const INFO = '# Server\r\nredis_version:7.0.15\r\nloading:0\r\nmaxmemory_policy:noeviction\r\n';

/** The command names in a buffer of RESP arrays. */
function commandNames(text: string): string[] {
  const names: string[] = [];
  const lines = text.split('\r\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith('*') && lines[i + 1]?.startsWith('$')) names.push(lines[i + 2]!.toLowerCase());
  }
  return names;
}

export interface FakeRedis {
  url: string;
  /** The command names received, in order, from every connection. */
  received: string[];
  close(): Promise<void>;
}

export async function startFakeRedis(answer: (command: string, socket: Socket) => void): Promise<FakeRedis> {
  const sockets = new Set<Socket>();
  const received: string[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk) => {
      for (const name of commandNames(chunk.toString('latin1'))) {
        received.push(name);
        if (name === 'client' || name === 'select') socket.write('+OK\r\n');
        else if (name === 'info') socket.write(`$${Buffer.byteLength(INFO)}\r\n${INFO}\r\n`);
        else answer(name, socket);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
