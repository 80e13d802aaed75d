import type { DeadLetter } from '../slack';

/** The JSON of the workspace-scoped panels' twins (queues' dead letters, workspaces, members, usage). */

/** Who looks: an operator sees every workspace; a workspace admin their own (`teamId`) only. */
export interface Viewer {
  operator: boolean;
  /** The viewer's own workspace; null for an admin service token. */
  teamId: string | null;
  /** As the audit log names them: "<team id>/<user id>", or "service:admin". */
  actor: string;
}

/** A dead letter as the page shows it: no key, and `text` cut to its first few words then "…" (the text never leaves the server). */
export type DeadLetterRow = Omit<DeadLetter, 'key'>;

export interface DeadLettersPanel {
  /** The workspace shown; null: every workspace (operators only). */
  teamId: string | null;
  deadLetters: DeadLetterRow[];
}

export interface WorkspaceRow {
  teamId: string;
  teamName: string | null;
  installedAt: string | null;
  installerUserId: string | null;
  scopes: string[];
  token: {
    rotating: boolean;
    expiresAt: string | null;
    lastRefreshedAt: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
  };
  uninstalledAt: string | null;
  uninstallReason: string | null;
}

export interface WorkspacesPanel {
  workspaces: WorkspaceRow[];
}

export interface MemberRow {
  teamId: string;
  userId: string;
  displayName: string | null;
  admin: boolean;
  operator: boolean;
  since: string;
}

export interface MembersPanel {
  teamId: string | null;
  q: string | null;
  members: MemberRow[];
  /** Pass back as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export interface UsagePanel {
  teamId: string | null;
  /** First UTC day counted (YYYY-MM-DD). */
  since: string;
  days: Array<{ day: string; teamId: string; commands: number; replied: number; p50Ms: number | null; p95Ms: number | null }>;
  /** Per workspace over the whole window. */
  workspaces: Array<{ teamId: string; commands: number }>;
}
