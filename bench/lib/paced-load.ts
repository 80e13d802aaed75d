import { createRawConnection, watchTimeouts, type RawConnection, type RawResponse } from './raw-http-client';
import { requestBytes, type SignedRequest } from './signed-events';

export interface PacedLoadOptions {
  host: string;
  port: number;
  path: string;
  /** Requests per second, spread evenly (open loop: a slow answer does not slow the sending). */
  rate: number;
  requests: SignedRequest[];
  /** Called with each request's index and its intended send time (performance.now()), just before it goes. */
  onSend?: (index: number, intendedAt: number) => void;
  /** Connections open at most; a request due while all are busy waits for one (its latency still counts from when it was due). */
  maxConnections?: number;
}

export interface PacedLoadResult {
  /** Latency of each request in ms, from its intended send time to its response (coordinated omission corrected). */
  latencies: Float64Array;
  /** How late the generator got to each request against its schedule, in ms: large values mean it, not the server, fell behind. */
  sendLag: Float64Array;
  statuses: Map<number, number>;
  errors: number;
  wallMs: number;
  /** Requests sent per second between the first and the last send. */
  achievedRate: number;
  loadgenCores: number;
  /** Connections the run needed: many more than rate × latency means responses came in bursts. */
  connections: number;
}

/**
 * A steady, open-loop rate: autocannon's overallRate fires each second's quota in a burst at
 * the top of the second, which measures bursts, not a steady 1,000/s. Here request i is due at
 * start + i/rate, sent from a 1 ms timer (no busy loop: the server needs the other core), and
 * its latency counts from when it was due, so a stalled server cannot hide its queueing.
 * Requests are built to bytes before the run and each leaves in one write on a TCP_NODELAY
 * keep-alive socket (raw-http-client.ts), so the generator allocates little while timing and
 * neither Nagle's algorithm nor delayed ACKs can add to a latency.
 */
export async function runPacedLoad({ host, port, path, rate, requests, onSend, maxConnections = 256 }: PacedLoadOptions): Promise<PacedLoadResult> {
  const total = requests.length;
  const bytes = requests.map((signed) => requestBytes(signed, path, `${host}:${port}`));
  const latencies = new Float64Array(total).fill(Number.NaN);
  const sendLag = new Float64Array(total);
  const intended = new Float64Array(total);
  const statuses = new Map<number, number>();
  const idle: RawConnection[] = [];
  const all = new Set<RawConnection>();
  const waiting: number[] = [];
  let opened = 0;
  let errors = 0;
  let done = 0;
  let lastSentAt = 0;
  const intervalMs = 1000 / rate;
  const cpuBefore = process.cpuUsage();
  const start = performance.now() + 20;
  const watchdog = watchTimeouts(all);

  await new Promise<void>((resolve) => {
    const finish = () => {
      done += 1;
      if (done === total) resolve();
    };
    const onResponse = (conn: RawConnection, i: number, res: RawResponse) => {
      latencies[i] = performance.now() - intended[i]!;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      finish();
      if (res.close) conn.destroy();
      else release(conn);
    };
    const onFailure = (conn: RawConnection, i: number | undefined) => {
      all.delete(conn);
      const at = idle.indexOf(conn);
      if (at >= 0) idle.splice(at, 1);
      if (i !== undefined) {
        errors += 1;
        finish();
      }
      // A due request waiting for a connection gets a new one.
      if (waiting.length) write(connection(), waiting.shift()!);
    };
    const connection = (): RawConnection => {
      opened += 1;
      const conn = createRawConnection({ host, port, onResponse, onFailure });
      all.add(conn);
      return conn;
    };
    const release = (conn: RawConnection) => {
      if (waiting.length) write(conn, waiting.shift()!);
      else idle.push(conn);
    };
    const write = (conn: RawConnection, i: number) => conn.send(i, bytes[i]!);
    const send = (i: number) => {
      intended[i] = start + i * intervalMs;
      lastSentAt = performance.now();
      // The generator's own lateness; a wait for a free connection (all busy) is the server's, and counts in the latency only.
      sendLag[i] = lastSentAt - intended[i];
      onSend?.(i, intended[i]);
      const conn = idle.pop() ?? (all.size < maxConnections ? connection() : undefined);
      if (conn) write(conn, i);
      else waiting.push(i);
    };
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) send(next++);
      if (next < total) setTimeout(tick, Math.max(0, Math.min(1, start + next * intervalMs - performance.now())));
    };
    setTimeout(tick, 20);
  });

  clearInterval(watchdog);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  for (const conn of all) conn.destroy();
  return {
    latencies: latencies.filter((v) => !Number.isNaN(v)),
    sendLag,
    statuses,
    errors,
    wallMs,
    achievedRate: total > 1 ? ((total - 1) / (lastSentAt - start)) * 1000 : Number.NaN,
    loadgenCores: (cpu.user + cpu.system) / 1000 / wallMs,
    connections: opened,
  };
}
