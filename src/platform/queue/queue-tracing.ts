import { activeTraceparent, contextOf, SpanKind, traced, tracingActive } from '../tracing/tracing';
import type { JobHandler, JobInfo, JobQueue } from './queue';
import { decorateJobQueue } from './queue-decorator';

/**
 * Each queue hop as a span of the trace that queued the job: the add is a PRODUCER span whose
 * W3C traceparent rides in the job's data (under TRACEPARENT_FIELD), and each try a CONSUMER
 * span continuing it, in whichever process takes the job. The handler never sees the field.
 * Object data only (every Jeeves job's); with tracing off, adds and tries go straight through.
 */
export const TRACEPARENT_FIELD = '_traceparent';

type Carried = Record<string, unknown> & { [TRACEPARENT_FIELD]?: unknown };

function isRecord(data: unknown): data is Carried {
  return typeof data === 'object' && data !== null && !Array.isArray(data);
}

function attributesOf(backend: JobQueue['backend'], queue: string, operation: 'send' | 'process') {
  return { 'messaging.system': backend === 'bullmq' ? 'bullmq' : 'jeeves-memory', 'messaging.destination.name': queue, 'messaging.operation.type': operation };
}

/** The job as its handler expects it: the carried traceparent taken out of its data. */
function withoutTraceparent<T>(job: JobInfo<T>, data: Carried): { job: JobInfo<T>; traceparent: string | undefined } {
  const carried = data[TRACEPARENT_FIELD];
  return { job: { ...job, data: withoutField(data) as T }, traceparent: typeof carried === 'string' ? carried : undefined };
}

function tracedHandler<T>(backend: JobQueue['backend'], queue: string, handler: JobHandler<T>): JobHandler<T> {
  return (job) => {
    const data: unknown = job.data;
    if (!isRecord(data) || !(TRACEPARENT_FIELD in data)) {
      return tracingActive() ? traced(`${queue} process`, { kind: SpanKind.CONSUMER, parent: contextOf(undefined), attributes: attributesOf(backend, queue, 'process') }, () => handler(job)) : handler(job);
    }
    const { job: plain, traceparent } = withoutTraceparent(job, data);
    if (!tracingActive()) return handler(plain);
    return traced(`${queue} process`, { kind: SpanKind.CONSUMER, parent: contextOf(traceparent), attributes: attributesOf(backend, queue, 'process') }, () => handler(plain));
  };
}

export function traceJobQueue(queue: JobQueue): JobQueue {
  return decorateJobQueue(queue, {
    add(name, jobName, data, options) {
      if (!tracingActive() || !isRecord(data)) return queue.add(name, jobName, data, options);
      return traced(`${name} publish`, { kind: SpanKind.PRODUCER, attributes: attributesOf(queue.backend, name, 'send') }, () =>
        queue.add(name, jobName, { ...data, [TRACEPARENT_FIELD]: activeTraceparent() }, options),
      );
    },
    work: (name, handler, options) => queue.work(name, tracedHandler(queue.backend, name, handler), options),
    // Dead letters as they were queued, without the carried traceparent.
    failed: (name, limit) =>
      queue.failed(name, limit).then((jobs) => jobs.map((job) => (isRecord(job.data) && TRACEPARENT_FIELD in job.data ? { ...job, data: withoutField(job.data) } : job))),
  });
}

function withoutField(data: Carried): Record<string, unknown> {
  const { [TRACEPARENT_FIELD]: _carried, ...rest } = data;
  return rest;
}
