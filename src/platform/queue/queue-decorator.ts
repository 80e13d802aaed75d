import type { JobQueue } from './queue';

/** The same queue with some of its methods replaced: how metrics and tracing wrap it. */
export function decorateJobQueue(queue: JobQueue, replaced: Partial<Pick<JobQueue, 'add' | 'work' | 'failed'>>): JobQueue {
  return {
    backend: queue.backend,
    add: (name, jobName, data, options) => queue.add(name, jobName, data, options),
    remove: (name, jobId) => queue.remove(name, jobId),
    upsertSchedule: (name, scheduleId, spec, job) => queue.upsertSchedule(name, scheduleId, spec, job),
    removeSchedule: (name, scheduleId) => queue.removeSchedule(name, scheduleId),
    work: (name, handler, options) => queue.work(name, handler, options),
    counts: (name) => queue.counts(name),
    activity: (name) => queue.activity(name),
    failed: (name, limit) => queue.failed(name, limit),
    ping: () => queue.ping(),
    close: (graceMs) => queue.close(graceMs),
    ...replaced,
  };
}
