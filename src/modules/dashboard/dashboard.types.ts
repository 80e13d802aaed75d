/**
 * What the admin panels' JSON twins under /api/admin answer with: plain data only (dates as
 * ISO strings), so a page and its live updates can read the same shape.
 */

import type { ShadowMismatch } from '../../platform/remote';

export type { ShadowMismatch };

export type Placement = 'local' | 'shadow' | 'remote';

/**
 * Calls of one module seen by this process (never the deployment's), per route the flags
 * chose. `callsPerMinute` is the last minute's; every other figure is a total since this
 * process started (prom-client's counters and histogram).
 */
export interface RouteFigures {
  route: 'local' | 'remote' | 'shadow';
  /** Calls in the last 60 s (one-second slots), this process only. */
  callsPerMinute: number;
  /** Calls since this process started. */
  totalCalls: number;
  /** By outcome (ok, refused, error, fallback, rejected, remote_unconfigured), since start; errorRate counts error and rejected. */
  outcomes: Record<string, number>;
  /** Errors and rejections over calls (0..1), since start; null with no calls. */
  errorRate: number | null;
  /** Milliseconds, from this process's histogram since start; null with no calls. */
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface ModuleRow {
  module: string;
  /** Where calls go now, from the flag backend (the same in every web process). */
  placement: Placement;
  routing: 'in-process' | 'remote' | 'shadow';
  /** The percentage of the flag that decides `placement` (0..100). */
  rollout: number;
  remotePercent: number;
  shadowPercent: number;
  stickiness: string;
  remoteConfigured: boolean;
  breaker: 'closed' | 'half-open' | 'open';
  /** This process's figures only. */
  routes: RouteFigures[];
  /** Shadowed calls whose answers differed, over shadowed calls (0..1), this process since start; null with none. */
  shadowMismatchRate: number | null;
  /** The last few mismatches this process saw, newest first, both answers redacted (no tokens, strings cut short). */
  recentMismatches: ShadowMismatch[];
}

export type ProcessFigure = 'routes' | 'shadowMismatchRate' | 'recentMismatches' | 'breaker';

export interface ModulesPanel {
  /** Which flag backend placements are written to ("file flags.json", "Unleash http://..."). */
  flagsTarget: string;
  /** How often every process re-reads the flags: a change shows within this. */
  refreshMs: number;
  /**
   * Names the process whose figures these are (hostname and pid): routes, shadowMismatchRate
   * and recentMismatches are this process's only. Placements, rollouts and stickiness come
   * from the flag backend, the same in every process.
   */
  process: string;
  /** The fields of each module row that are this process's only (the rest come from the flag backend). */
  processFigures: ProcessFigure[];
  modules: ModuleRow[];
}

export interface QueueRow {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /**
   * Completed in the last minute. On Redis (BullMQ): by every worker of the deployment, from
   * BullMQ's per-minute counts, the same in every process. In-process queue: this process's.
   */
  jobsPerMinute: number | null;
  /** Age in seconds of the oldest waiting job (since added, or since its delay ended); null when none waits. */
  oldestWaitingSeconds: number | null;
}

export interface QueuesPanel {
  /** The process that read the queues. */
  process: string;
  /** Whose jobs the figures count: every process's (Redis, shared by the deployment) or this process's only (the in-process queue). */
  scope: 'deployment' | 'process';
  queues: QueueRow[];
}

/** What an admin did, as the audit log keeps it. */
export type AdminAction = 'placement' | 'dead-letter-retry' | 'dead-letter-discard' | 'promote' | 'demote';

export interface AuditEntry {
  /** Who: "<team id>/<user id>" of a signed-in member, or "service:<client id>" for an admin token. */
  actor: string;
  /** The workspace acted on; null for deployment-wide actions (a placement change). */
  teamId: string | null;
  action: AdminAction;
  /** What was acted on: a module name, a dead letter's id, a member "<team id>/<user id>". */
  target: string;
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  /** ISO time. */
  at: string;
}

/** The port every admin action writes through (the audit module implements it over PostgreSQL). */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first; with `teamId`, that workspace's entries only. */
  list(options?: { teamId?: string; limit?: number }): Promise<AuditRecord[]>;
}
