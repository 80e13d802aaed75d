import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { hostChild } from '../lib/child-host';
import { runMaxLoad, type MaxLoadResult } from '../lib/max-load';
import { runPacedLoad } from '../lib/paced-load';
import { signedEvents, type SignedRequest } from '../lib/signed-events';
import { summarize } from '../lib/stats';

export interface IngestLoadParams {
  signingSecret: string;
}

export interface PrepareParams {
  count: number;
  idPrefix: string;
}

export interface MaxParams {
  url: string;
  path: string;
  connections: number;
}

export interface SteadyParams {
  host: string;
  port: number;
  path: string;
  rate: number;
}

/** What a steady run reports back: summaries only, so nothing large crosses the IPC channel. */
export interface SteadyResult {
  p50: number;
  p99: number;
  max: number;
  /** How late requests left against their schedule (ms): a late generator shows here, not as server latency. */
  lagP50: number;
  lagP99: number;
  lagMax: number;
  non200: number;
  errors: number;
  achievedRate: number;
  loadgenCores: number;
  connections: number;
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The ingest load generator in a process of its own: its own event loop and a small heap
 * holding only the next run's requests, so neither the bench's other work nor the garbage
 * of earlier rounds can delay a send. Requests are signed in 'prepare', before the server's
 * CPU window opens; 'max' and 'steady' then use them once each.
 */
hostChild<IngestLoadParams>(async ({ signingSecret }) => {
  let prepared: SignedRequest[] = [];
  const take = () => {
    const requests = prepared;
    prepared = [];
    if (requests.length === 0) throw new Error('prepare the requests first');
    return requests;
  };
  return {
    ready: { pid: process.pid },
    methods: {
      prepare: (params) => {
        const { count, idPrefix } = params as PrepareParams;
        prepared = signedEvents({ signingSecret, count, idPrefix });
        // Start timed runs with a clean young generation rather than the signing's garbage.
        collectGarbage();
      },
      max: (params): Promise<MaxLoadResult> => runMaxLoad({ ...(params as MaxParams), requests: take() }),
      steady: async (params): Promise<SteadyResult> => {
        const run = await runPacedLoad({ ...(params as SteadyParams), requests: take() });
        const latency = summarize(run.latencies);
        const lag = summarize(run.sendLag);
        const non200 = [...run.statuses].filter(([status]) => status !== 200).reduce((n, [, count]) => n + count, 0);
        return {
          p50: latency.p50,
          p99: latency.p99,
          max: latency.max,
          lagP50: lag.p50,
          lagP99: lag.p99,
          lagMax: lag.max,
          non200,
          errors: run.errors,
          achievedRate: run.achievedRate,
          loadgenCores: run.loadgenCores,
          connections: run.connections,
        };
      },
    },
    close: () => Promise.resolve(),
  };
});
