import type { ListeningServer } from './server';

/**
 * A web process stopping as Kubernetes expects: on SIGTERM /readyz fails at once, so endpoints
 * and load balancers stop sending here, while the process keeps serving for the drain period;
 * only then does it stop accepting (ListeningServer.close).
 */
export interface Drain {
  /** True from the start of the drain on: /readyz answers 503 with reason `draining`. */
  readonly draining: boolean;
  /** Fails readiness, asks keep-alive clients to reconnect elsewhere, and resolves after serving on for `ms`. */
  run(server: ListeningServer, ms: number): Promise<void>;
}

export function createDrain(): Drain {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    async run(server, ms) {
      draining = true;
      server.endKeepAlive();
      if (ms > 0) await new Promise<void>((resolve) => setTimeout(resolve, ms));
    },
  };
}
