import autocannon from 'autocannon';
import type { SignedRequest } from './signed-events';

export interface MaxLoadOptions {
  url: string;
  path: string;
  /** One request each, used in order and never twice (unique event ids). */
  requests: SignedRequest[];
  connections: number;
}

export interface MaxLoadResult {
  /** 2xx responses per second of wall time. */
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  wallMs: number;
  /** CPU this process (the load generator) used, as a share of one core: near 1 means it, not the server, was the limit. */
  loadgenCores: number;
}

/**
 * Closed-loop load at full speed with autocannon (its raw-socket client costs far less CPU per
 * request than the servers under test). Each request takes the next pre-signed body, so every
 * event id is new.
 */
export async function runMaxLoad({ url, path, requests, connections }: MaxLoadOptions): Promise<MaxLoadResult> {
  let next = 0;
  // autocannon builds a request or two per connection beyond `amount`; keep those out of the count.
  const amount = requests.length - connections * 2;
  if (amount <= connections) throw new Error('not enough pre-signed requests for the connections');
  const setupRequest = (request: autocannon.Request): autocannon.Request => {
    const signed = requests[next++ % requests.length]!;
    return { ...request, method: 'POST', path, headers: signed.headers, body: signed.body };
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ url, connections, pipelining: 1, amount, timeout: 10, requests: [{ setupRequest }] });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (next > requests.length) throw new Error('pre-signed requests ran out: an event id was sent twice');
  return {
    rps: (result['2xx'] / wallMs) * 1000,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    wallMs,
    loadgenCores: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}
