import http from 'node:http';
import type { SignedRequest } from './signed-events';

export interface PacedLoadOptions {
  host: string;
  port: number;
  path: string;
  /** Requests per second, spread evenly (open loop: a slow answer does not slow the sending). */
  rate: number;
  requests: SignedRequest[];
  /** Called with each request's index and its intended send time (performance.now()), just before it goes. */
  onSend?: (index: number, intendedAt: number) => void;
}

export interface PacedLoadResult {
  /** Latency of each request in ms, from its intended send time to its response (coordinated omission corrected). */
  latencies: Float64Array;
  /** How late each request left against its schedule, in ms: large values mean the load generator fell behind. */
  sendLag: Float64Array;
  statuses: Map<number, number>;
  errors: number;
  wallMs: number;
  /** Requests sent per second between the first and the last send. */
  achievedRate: number;
  loadgenCores: number;
}

/**
 * A steady, open-loop rate: autocannon's overallRate fires each second's quota in a burst at
 * the top of the second, which measures bursts, not a steady 1,000/s. Here request i is due at
 * start + i/rate, sent from a 1 ms timer (no busy loop: the server needs the other core), and
 * its latency counts from when it was due, so a stalled server cannot hide its queueing.
 */
export async function runPacedLoad({ host, port, path, rate, requests, onSend }: PacedLoadOptions): Promise<PacedLoadResult> {
  const total = requests.length;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies = new Float64Array(total).fill(Number.NaN);
  const sendLag = new Float64Array(total);
  const statuses = new Map<number, number>();
  let errors = 0;
  let done = 0;
  let lastSentAt = 0;
  const intervalMs = 1000 / rate;
  const cpuBefore = process.cpuUsage();
  const start = performance.now() + 20;

  await new Promise<void>((resolve) => {
    const finish = () => {
      done += 1;
      if (done === total) resolve();
    };
    const send = (i: number) => {
      const intendedAt = start + i * intervalMs;
      const signed = requests[i]!;
      lastSentAt = performance.now();
      sendLag[i] = lastSentAt - intendedAt;
      onSend?.(i, intendedAt);
      const req = http.request({ host, port, path, method: 'POST', agent, headers: { ...signed.headers, 'content-length': signed.body.length } }, (res) => {
        res.resume();
        res.once('end', () => {
          latencies[i] = performance.now() - intendedAt;
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          finish();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.once('error', () => {
        errors += 1;
        finish();
      });
      req.end(signed.body);
    };
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) send(next++);
      if (next < total) setTimeout(tick, Math.max(0, Math.min(1, start + next * intervalMs - performance.now())));
    };
    setTimeout(tick, 20);
  });

  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return {
    latencies: latencies.filter((v) => !Number.isNaN(v)),
    sendLag,
    statuses,
    errors,
    wallMs,
    achievedRate: total > 1 ? ((total - 1) / (lastSentAt - start)) * 1000 : Number.NaN,
    loadgenCores: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}
