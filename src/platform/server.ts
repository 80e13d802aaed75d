import type { Server } from 'node:http';
import type { Express } from 'express';

export interface ListeningServer {
  port: number;
  server: Server;
  /** Stops accepting connections and waits for open requests to finish. */
  close(): Promise<void>;
}

export function listen(app: Express, port: number, host?: string): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const server = host === undefined ? app.listen(port) : app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      // Keep-alive longer than a typical load balancer's idle timeout, so it closes first.
      server.keepAliveTimeout = 65_000;
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
