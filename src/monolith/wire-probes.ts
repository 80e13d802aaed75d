import type { Express } from 'express';
import { databaseCheck, type Infrastructure } from '../infrastructure/infrastructure';
import { createApp } from '../platform/app';
import type { Drain } from '../platform/drain';
import type { ReadinessCheck } from '../platform/health';

/** What /readyz asks in every monolith process, web or worker: the database and the queue answer. */
export function coreReadiness(infra: Infrastructure): Record<string, ReadinessCheck> {
  return { database: databaseCheck(infra.dataSource), queue: () => infra.queue.ping() };
}

/** A worker's only HTTP: /healthz, /readyz (database and queue) and /metrics, where its queues' counters reach Prometheus. */
export function wireProbes(infra: Infrastructure, drain?: Pick<Drain, 'draining'>): Express {
  return createApp({ logger: infra.logger, metrics: infra.metrics, readiness: coreReadiness(infra), ...(drain ? { drain } : {}) });
}
