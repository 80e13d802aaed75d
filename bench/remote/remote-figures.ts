import type { Registry } from 'prom-client';
import { timeSequential, timeThroughput } from '../lib/call-timing';
import type { BenchChild } from '../lib/child-process';
import { row, type BenchRow } from '../lib/results';
import { median } from '../lib/stats';

export const SECTION = '3 remote';
const CONCURRENCY = 16;

/** One call's figures, a value per round. */
export interface Figures {
  p50: number[];
  p99: number[];
  rate: number[];
  /** CPU per call in µs: this process (the caller), and the extracted service when remote. */
  callerCpu: number[];
  serviceCpu: number[];
}

export const empty = (): Figures => ({ p50: [], p99: [], rate: [], callerCpu: [], serviceCpu: [] });

/** Lone-call latency and CPU (caller, and the service when given), then throughput at CONCURRENCY. */
export async function measure(call: () => Promise<unknown>, calls: number, into: Figures, service?: BenchChild<unknown>): Promise<void> {
  await service?.cpuMark();
  const cpu = process.cpuUsage();
  const lone = await timeSequential(call, calls);
  const used = process.cpuUsage(cpu);
  into.callerCpu.push((used.user + used.system) / calls);
  if (service) {
    const window = await service.cpuRead();
    into.serviceCpu.push((window.cores * window.wallMs * 1000) / calls);
  }
  into.p50.push(lone.p50);
  into.p99.push(lone.p99);
  into.rate.push(await timeThroughput(call, calls, CONCURRENCY));
}

/** Calls the switch counted for one module method on one route with outcome ok: proof of where calls went. */
export async function okCalls(registry: Registry, module: string, method: string, route: 'local' | 'remote'): Promise<number> {
  const metric = registry.getSingleMetric('jeeves_module_calls_total');
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => v.labels.module === module && v.labels.method === method && v.labels.route === route && v.labels.outcome === 'ok').reduce((n, v) => n + v.value, 0);
}

/** The rows of one call: in-process and remote through the switch, what remote adds, and what the switch costs. */
export function rowsFor(label: string, direct: Figures, local: Figures, remote: Figures): BenchRow[] {
  const m = (f: Figures, k: keyof Figures) => median(f[k]);
  const viaSwitch = (k: keyof Figures) => ({ name: 'in-process', value: m(local, k) });
  const cpuNote = `CPU per call: caller ${m(local, 'callerCpu').toFixed(0)} µs in-process, ${m(remote, 'callerCpu').toFixed(0)} µs remote + service ${m(remote, 'serviceCpu').toFixed(0)} µs`;
  return [
    row({ section: SECTION, name: `${label} p50, in-process (switch, flag off)`, value: m(local, 'p50'), unit: 'ms' }),
    row({ section: SECTION, name: `${label} p50, remote (switch, flag on)`, value: m(remote, 'p50'), unit: 'ms', baseline: viaSwitch('p50') }),
    row({ section: SECTION, name: `${label} p99, in-process (switch, flag off)`, value: m(local, 'p99'), unit: 'ms' }),
    row({ section: SECTION, name: `${label} p99, remote (switch, flag on)`, value: m(remote, 'p99'), unit: 'ms', baseline: viaSwitch('p99') }),
    row({ section: SECTION, name: `${label}: remote adds at p50`, value: m(remote, 'p50') - m(local, 'p50'), unit: 'ms', target: { kind: 'at-most', max: 1 }, note: cpuNote }),
    row({ section: SECTION, name: `${label}: remote adds at p99`, value: m(remote, 'p99') - m(local, 'p99'), unit: 'ms', target: { kind: 'at-most', max: 3 } }),
    row({ section: SECTION, name: `${label} throughput, in-process (${CONCURRENCY} concurrent)`, value: m(local, 'rate'), unit: 'calls/s' }),
    row({ section: SECTION, name: `${label} throughput, remote (${CONCURRENCY} concurrent)`, value: m(remote, 'rate'), unit: 'calls/s', baseline: viaSwitch('rate') }),
    row({
      section: SECTION,
      name: `${label}: the switch itself, flag off (p50 over a direct call)`,
      value: m(local, 'p50') - m(direct, 'p50'),
      unit: 'ms',
    }),
  ];
}
