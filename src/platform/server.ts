import type { Server, ServerResponse } from 'node:http';
import type { Express } from 'express';
import { StartupError } from './lifecycle';

export interface ListeningServer {
  port: number;
  server: Server;
  /** Every answer from now on says `Connection: close`, so keep-alive clients reconnect elsewhere. */
  endKeepAlive(): void;
  /**
   * Stops accepting connections and waits for open requests to finish; after `graceMs`, if
   * given, cuts the connections of those still running.
   */
  close(graceMs?: number): Promise<void>;
}

/** How often a closing server drops connections that have just gone idle (keep-alive would hold them for 65 s). */
const IDLE_SWEEP_MS = 50;

export function listen(app: Express, port: number, host?: string): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const server = host === undefined ? app.listen(port) : app.listen(port, host);
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new StartupError(`port ${port} is in use: each process on one machine needs a port of its own`) : err);
    });
    server.once('listening', () => {
      const address = server.address();
      // Keep-alive longer than a typical load balancer's idle timeout, so it closes first.
      server.keepAliveTimeout = 65_000;
      let keepAliveEnded = false;
      const endKeepAlive = () => {
        if (keepAliveEnded) return;
        keepAliveEnded = true;
        // Ahead of the app, so the header is set before any handler answers.
        server.prependListener('request', (_req, res: ServerResponse) => res.setHeader('Connection', 'close'));
      };
      let closing: Promise<void> | undefined;
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        server,
        endKeepAlive,
        close: (graceMs) =>
          (closing ??= new Promise<void>((done) => {
            endKeepAlive();
            const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
            const cut = graceMs === undefined ? undefined : setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearInterval(sweep);
              clearTimeout(cut);
              done();
            });
            server.closeIdleConnections();
          })),
      });
    });
  });
}
