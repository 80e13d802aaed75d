/**
 * What each /admin panel shows: the JSON its twin under /api/admin answers with, and the model
 * the page renders. Plain data only (dates as ISO strings), so the page and its live updates
 * read the same shape.
 */

export type Placement = 'local' | 'shadow' | 'remote';

/** Who is looking, and so which panels and controls the page shows. */
export interface Viewer {
  teamId: string;
  userId: string;
  name?: string;
  /** An operator sees and acts on every panel; a workspace admin sees their own workspace only. */
  operator: boolean;
  /** The workspaces this viewer may look at (an operator's: all). */
  teams: string[];
}

/**
 * Calls of one module seen by this process, per route and outcome. For now these are the
 * counters' totals since the process started, not a one-minute window.
 */
export interface RouteFigures {
  route: 'local' | 'remote' | 'shadow';
  /** Calls since this process started (the name anticipates a one-minute window). */
  callsPerMinute: number;
  /** By outcome (ok, error, fallback, rejected, remote_unconfigured), since start. */
  outcomes: Record<string, number>;
  /** Errors and rejections over calls (0..1), since start; null with no calls. */
  errorRate: number | null;
  /** Milliseconds, from this process's histogram since start; null with no calls. */
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface ShadowMismatch {
  at: string;
  method: string;
  /** Both answers, redacted (no tokens, no free text longer than a few words). */
  local: string;
  remote: string;
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
  /** Always empty for now: the switch keeps counters of mismatches, not the answers. */
  recentMismatches: ShadowMismatch[];
}

export interface ModulesPanel {
  /** Which flag backend placements are written to ("file flags.json", "Unleash http://..."). */
  flagsTarget: string;
  /** How often every process re-reads the flags: a change shows within this. */
  refreshMs: number;
  /** Names the process whose figures these are (hostname and pid). */
  process: string;
  modules: ModuleRow[];
}

export interface QueueRow {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Completed in the last minute, as this process counted them; null where it does not work this queue (always null for now). */
  jobsPerMinute: number | null;
  /** Age in seconds of the oldest waiting job; null when none waits (always null for now: the queue does not tell it). */
  oldestWaitingSeconds: number | null;
}

export interface DeadLetterRow {
  id: string;
  teamId: string;
  channel: string;
  /** Redacted: the first words only. */
  text: string;
  code: string;
  reason: string;
  attempts: number;
  failedAt: string;
}

export interface QueuesPanel {
  process: string;
  queues: QueueRow[];
}

export interface DeadLettersPanel {
  /** Newest first; a workspace admin's own workspace only. */
  deadLetters: DeadLetterRow[];
}

export interface WorkspaceRow {
  teamId: string;
  teamName?: string;
  scopes: string[];
  installerUserId?: string;
  installedAt?: string;
  tokenRotation: boolean;
  tokenExpiresAt?: string;
  lastRefreshedAt?: string;
  lastRefreshError?: string;
  uninstalledAt?: string;
  uninstallReason?: string;
}

export interface WorkspacesPanel {
  workspaces: WorkspaceRow[];
}

export interface MemberRow {
  teamId: string;
  userId: string;
  displayName?: string;
  admin: boolean;
  operator: boolean;
}

export interface MembersPanel {
  teamId: string;
  query: string;
  members: MemberRow[];
  /** Opaque; pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export interface UsageDay {
  day: string;
  teamId: string;
  commands: number;
}

export interface UsagePanel {
  /** Commands per day and workspace, oldest first, last 14 days. */
  days: UsageDay[];
  /** Reply latency (event received → reply posted), milliseconds, this process's histogram. */
  replyLatency: { p50Ms: number | null; p99Ms: number | null; count: number };
}

export interface AuditRow {
  id: string;
  at: string;
  /** "T1:U1" of who acted, or "service-token" for an API client. */
  actor: string;
  action: 'placement' | 'dead-letter.retry' | 'dead-letter.discard' | 'member.promote' | 'member.demote';
  /** What was acted on: a module name, a dead letter id, "T1:U2". */
  target: string;
  teamId?: string;
  before: unknown;
  after: unknown;
}

export interface AuditPanel {
  /** Newest first; a workspace admin sees their own workspace's rows only. */
  entries: AuditRow[];
}
