import { summarize, type LatencySummary } from './stats';

/** One call after another: the latency of a lone call, in ms. */
export async function timeSequential(call: () => Promise<unknown>, count: number): Promise<LatencySummary> {
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await call();
    samples[i] = performance.now() - start;
  }
  return summarize(samples);
}

/** `count` calls, `concurrency` at a time: calls per second. */
export async function timeThroughput(call: () => Promise<unknown>, count: number, concurrency: number): Promise<number> {
  let issued = 0;
  const start = performance.now();
  const lane = async () => {
    while (issued < count) {
      issued += 1;
      await call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return (count / (performance.now() - start)) * 1000;
}
