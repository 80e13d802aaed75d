import { hostChild } from '../lib/child-host';
import { startIngestTarget, type IngestTargetParams } from './ingest-targets';

/** One ingest target in a process of its own; the parent drives the load. */
hostChild<IngestTargetParams>(async (params) => {
  const target = await startIngestTarget(params);
  return { ready: { port: target.port }, close: () => target.close() };
});
