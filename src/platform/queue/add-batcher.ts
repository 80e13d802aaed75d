/** One job to add, as the backend takes it. */
export interface BatchedJob<O> {
  name: string;
  data: unknown;
  opts: O;
}

/** Writes one batch to one queue; resolves with the jobs' ids in order once all are durable. */
export type BatchWriter<O> = (queue: string, jobs: BatchedJob<O>[]) => Promise<string[]>;

export interface AddBatcher<O> {
  /** Resolves with the job id once the batch holding this job has been written. */
  add(queue: string, job: BatchedJob<O>): Promise<string>;
  /** Resolves once every batch taken so far has been written or has failed. */
  drain(): Promise<void>;
}

interface Pending<O> {
  jobs: BatchedJob<O>[];
  resolves: ((id: string) => void)[];
  rejects: ((err: unknown) => void)[];
}

/** Bounds one write, so a burst becomes several round trips rather than one huge one. */
export const MAX_BATCH = 256;

/**
 * Collects the adds issued in one turn of the event loop (every request whose body arrived
 * in the same poll phase) and writes each queue's share as one batch, on setImmediate. On the
 * ingest hot path this saves most of the per-add promise and command bookkeeping. Each add
 * still resolves only once its batch is written, so callers never acknowledge a job before
 * it is durable; a failed batch rejects every add in it.
 */
export function createAddBatcher<O>(write: BatchWriter<O>): AddBatcher<O> {
  let pending = new Map<string, Pending<O>>();
  let scheduled = false;
  const inFlight = new Set<Promise<void>>();

  const send = (queue: string, batch: Pending<O>) => {
    const written = write(queue, batch.jobs).then(
      (ids) => batch.resolves.forEach((resolve, i) => resolve(ids[i]!)),
      (err: unknown) => batch.rejects.forEach((reject) => reject(err)),
    );
    inFlight.add(written);
    void written.finally(() => inFlight.delete(written));
  };

  const flush = () => {
    scheduled = false;
    const batches = pending;
    pending = new Map();
    for (const [queue, batch] of batches) send(queue, batch);
  };

  return {
    add(queue, job) {
      return new Promise<string>((resolve, reject) => {
        let batch = pending.get(queue);
        if (!batch) {
          batch = { jobs: [], resolves: [], rejects: [] };
          pending.set(queue, batch);
        }
        batch.jobs.push(job);
        batch.resolves.push(resolve);
        batch.rejects.push(reject);
        if (batch.jobs.length >= MAX_BATCH) {
          pending.delete(queue);
          send(queue, batch);
        } else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async drain() {
      if (scheduled) flush();
      await Promise.allSettled([...inFlight]);
    },
  };
}
