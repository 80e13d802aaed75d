import autocannon from 'autocannon';
import { createRawConnection, watchTimeouts, type RawConnection } from './raw-http-client';
import { requestBytes, type SignedRequest } from './signed-events';

export interface MaxLoadOptions {
  url: string;
  path: string;
  /** One request each, used in order and never twice (unique event ids). */
  requests: SignedRequest[];
  connections: number;
  /**
   * 'raw' (default): the keep-alive client of paced-load.ts, every request built to bytes
   * beforehand and sent in one write with TCP_NODELAY. 'autocannon': a cross-check; it builds
   * and parses each request in JavaScript (about twice the generator CPU per request).
   */
  client?: 'raw' | 'autocannon';
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
 * Closed-loop load at full speed: each connection sends its next request when the last one is
 * answered. Each request takes the next pre-signed body, so every event id is new. The
 * generator's CPU per request matters as much as the server's: on a busy 2-core machine the
 * bench's processes share one scheduling group, so every microsecond the generator spends is
 * taken from the server, and a heavy generator pulls every target towards the same req/s.
 */
export async function runMaxLoad(options: MaxLoadOptions): Promise<MaxLoadResult> {
  return options.client === 'autocannon' ? runAutocannon(options) : runRaw(options);
}

async function runAutocannon({ url, path, requests, connections }: MaxLoadOptions): Promise<MaxLoadResult> {
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
  let lastResponseAt = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, pipelining: 1, amount, timeout: 10, requests: [{ setupRequest }] }, (err: unknown, res) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res),
    );
    instance.on('response', () => (lastResponseAt = performance.now()));
  });
  // Not until the promise resolves: autocannon ends a run at its next 1 s sample tick, so that
  // clock counts whole seconds and every target that finishes within the same second gets the
  // same req/s (amount ÷ 2 s was 1,417 req/s for all four targets).
  const wallMs = lastResponseAt - started;
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

async function runRaw({ url, path, requests, connections }: MaxLoadOptions): Promise<MaxLoadResult> {
  const { hostname, port } = new URL(url);
  const bytes = requests.map((signed) => requestBytes(signed, path, `${hostname}:${port}`));
  let next = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  const all = new Set<RawConnection>();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const watchdog = watchTimeouts(all);
  await new Promise<void>((resolve) => {
    const finish = () => {
      done += 1;
      if (done === bytes.length) resolve();
    };
    const sendNext = (conn: RawConnection) => {
      if (next < bytes.length) {
        conn.send(next, bytes[next]!);
        next += 1;
      } else {
        all.delete(conn);
        conn.destroy();
      }
    };
    const open = (): void => {
      const conn = createRawConnection({
        host: hostname,
        port: Number(port),
        onResponse: (c, _id, res) => {
          if (res.status >= 200 && res.status < 300) ok += 1;
          else non2xx += 1;
          finish();
          if (res.close) {
            all.delete(c);
            c.destroy();
            if (next < bytes.length) open();
          } else sendNext(c);
        },
        onFailure: (c, id) => {
          all.delete(c);
          if (id !== undefined) {
            errors += 1;
            finish();
          }
          if (next < bytes.length) open();
        },
      });
      all.add(conn);
      sendNext(conn);
    };
    for (let i = 0; i < Math.min(connections, bytes.length); i++) open();
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(watchdog);
  for (const conn of all) conn.destroy();
  return { rps: (ok / wallMs) * 1000, ok, non2xx, errors, wallMs, loadgenCores: (cpu.user + cpu.system) / 1000 / wallMs };
}
