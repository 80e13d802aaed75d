import { z } from 'zod';

/** The JSON of the panels' twins under /api/admin, as clients may check it. */
const routeFigures = z.object({
  route: z.enum(['local', 'remote', 'shadow']),
  callsPerMinute: z.number().nonnegative(),
  totalCalls: z.number().nonnegative(),
  outcomes: z.record(z.string(), z.number().nonnegative()),
  errorRate: z.number().min(0).max(1).nullable(),
  p50Ms: z.number().nonnegative().nullable(),
  p99Ms: z.number().nonnegative().nullable(),
});

const percent = z.number().min(0).max(100);

export const modulesPanelSchema = z.object({
  flagsTarget: z.string(),
  refreshMs: z.number().int().positive(),
  process: z.string().min(1),
  processFigures: z.array(z.enum(['routes', 'shadowMismatchRate', 'recentMismatches', 'breaker'])),
  modules: z.array(
    z.object({
      module: z.string(),
      placement: z.enum(['local', 'shadow', 'remote']),
      routing: z.enum(['in-process', 'remote', 'shadow']),
      rollout: percent,
      remotePercent: percent,
      shadowPercent: percent,
      stickiness: z.string(),
      remoteConfigured: z.boolean(),
      breaker: z.enum(['closed', 'half-open', 'open']),
      routes: z.array(routeFigures),
      shadowMismatchRate: z.number().min(0).nullable(),
      recentMismatches: z.array(z.object({ at: z.string(), method: z.string(), local: z.string(), remote: z.string() })),
    }),
  ),
});

const count = z.number().int().nonnegative();

export const queuesPanelSchema = z.object({
  process: z.string().min(1),
  scope: z.enum(['deployment', 'process']),
  queues: z.array(
    z.object({
      queue: z.string(),
      waiting: count,
      active: count,
      delayed: count,
      failed: count,
      jobsPerMinute: count.nullable(),
      oldestWaitingSeconds: z.number().nonnegative().nullable(),
    }),
  ),
});
