import { AppError, NotFoundError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { ForbiddenError, type Roles } from '../auth';
import { retryDeadLetter, type DeadLetter, type DeadLetters, type OutgoingSlackMessage, type SlackUsage } from '../slack';
import type { UsersService } from '../users';
import type { Installation, WorkspacesService } from '../workspaces';
import type { AuditEntry, AuditLog } from './dashboard.types';
import type { DeadLetterRow, DeadLettersPanel, MembersPanel, UsagePanel, Viewer, WorkspaceRow, WorkspacesPanel } from './dashboard.workspace-types';

/** What the workspace panels read and act through: other modules' faces, and the audit log. */
export interface WorkspacePanelsPorts {
  deadLetters: Pick<DeadLetters, 'list' | 'get' | 'take' | 'record'>;
  /** The slack module's delivery (send): a retried dead letter is queued like any reply. */
  send: (message: OutgoingSlackMessage) => Promise<void>;
  workspaces: Pick<WorkspacesService, 'installations' | 'installation'>;
  users: Pick<UsersService, 'list'>;
  roles: Pick<Roles, 'admins' | 'operators' | 'grant' | 'revoke'>;
  usage: Pick<SlackUsage, 'days'>;
  audit: AuditLog;
  logger: Logger;
}

export class DeadLetterNotFoundError extends NotFoundError {
  constructor() {
    super('DASHBOARD.DEAD_LETTER_NOT_FOUND', 'No such dead letter (it may have been retried or discarded already).');
  }
}

export class WorkspaceGoneRefusal extends AppError {
  constructor(teamId: string) {
    super('DASHBOARD.WORKSPACE_UNINSTALLED', `Workspace ${teamId} has uninstalled Jeeves: its messages cannot be sent until it reinstalls. Discard this one instead.`, 409);
  }
}

export class LastAdminRefusal extends AppError {
  constructor(teamId: string) {
    super('DASHBOARD.LAST_ADMIN', `This is the last admin of workspace ${teamId}: promote another member first.`, 409);
  }
}

export class NotAnAdminRefusal extends AppError {
  constructor() {
    super('DASHBOARD.NOT_AN_ADMIN', 'This member is not an admin of the workspace.', 409);
  }
}

const WORDS_SHOWN = 3;
const CHARS_SHOWN = 24;

/** The first few words of a message, then "…": enough to recognise it, not to read it. */
export function redactText(text: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let shown = words.slice(0, WORDS_SHOWN).join(' ');
  if (shown.length > CHARS_SHOWN) shown = shown.slice(0, CHARS_SHOWN);
  return shown.length < text.trim().length ? `${shown}…` : shown;
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

const deadLetterRow = (d: DeadLetter): DeadLetterRow => ({
  id: d.id,
  teamId: d.teamId,
  channel: d.channel,
  text: redactText(d.text),
  code: d.code,
  reason: d.reason,
  attempts: d.attempts,
  failedAt: d.failedAt,
});

const workspaceRow = (i: Installation): WorkspaceRow => ({
  teamId: i.teamId,
  teamName: i.teamName ?? null,
  installedAt: iso(i.installedAt),
  installerUserId: i.installerUserId ?? null,
  scopes: i.scopes,
  token: {
    rotating: i.tokenRotation,
    expiresAt: iso(i.tokenExpiresAt),
    lastRefreshedAt: iso(i.lastRefreshedAt),
    lastError: i.lastRefreshError ?? null,
    lastErrorAt: iso(i.lastRefreshErrorAt),
  },
  uninstalledAt: iso(i.uninstalledAt),
  uninstallReason: i.uninstallReason ?? null,
});

/** The workspace a viewer's request is about: an operator's choice (or all), an admin's own. */
export function scopeOf(viewer: Viewer, requested: string | undefined): string | null {
  if (viewer.operator) return requested ?? null;
  if (requested !== undefined && requested !== viewer.teamId) throw new ForbiddenError('A workspace admin acts on their own workspace only.');
  return viewer.teamId;
}

function mayActOn(viewer: Viewer, teamId: string): void {
  if (!viewer.operator && viewer.teamId !== teamId) throw new ForbiddenError('A workspace admin acts on their own workspace only.');
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface WorkspacePanels {
  deadLetters(viewer: Viewer, options: { team?: string; limit?: number }): Promise<DeadLettersPanel>;
  retry(viewer: Viewer, id: string): Promise<{ id: string; teamId: string; key: string }>;
  discard(viewer: Viewer, id: string): Promise<{ id: string; teamId: string }>;
  workspaces(viewer: Viewer, options: { team?: string }): Promise<WorkspacesPanel>;
  members(viewer: Viewer, options: { team?: string; q?: string; cursor?: string; limit?: number }): Promise<MembersPanel>;
  promote(viewer: Viewer, teamId: string, userId: string): Promise<{ changed: boolean }>;
  demote(viewer: Viewer, teamId: string, userId: string): Promise<{ changed: boolean }>;
  usage(viewer: Viewer, options: { team?: string; days?: number; now?: Date }): Promise<UsagePanel>;
}

/** The queues' dead letters, workspaces, members and usage, each scoped to what the viewer may see. */
export function createWorkspacePanels(ports: WorkspacePanelsPorts): WorkspacePanels {
  const { deadLetters, workspaces, users, roles, usage, audit, logger } = ports;

  // The action is done: an audit log that is away loses its row, not the action; the line keeps it.
  const audited = (entry: AuditEntry, done: string) =>
    audit.record(entry).catch((err: unknown) => logger.error({ err, entry }, `${done} but not written to the audit log`));

  async function letterFor(viewer: Viewer, id: string): Promise<DeadLetter> {
    const letter = await deadLetters.get(id);
    if (!letter) throw new DeadLetterNotFoundError();
    mayActOn(viewer, letter.teamId);
    return letter;
  }

  const shown = (letter: DeadLetter) => ({ channel: letter.channel, text: redactText(letter.text), code: letter.code });

  return {
    async deadLetters(viewer, { team, limit }) {
      const teamId = scopeOf(viewer, team);
      const rows = await deadLetters.list(limit, teamId ? { teamId } : {});
      return { teamId, deadLetters: rows.map(deadLetterRow) };
    },

    async retry(viewer, id) {
      const letter = await letterFor(viewer, id);
      if ((await workspaces.installation(letter.teamId))?.uninstalledAt) throw new WorkspaceGoneRefusal(letter.teamId);
      const retried = await retryDeadLetter({ deadLetters, send: ports.send }, id);
      if (!retried) throw new DeadLetterNotFoundError();
      await audited({ actor: viewer.actor, teamId: letter.teamId, action: 'dead-letter-retry', target: id, before: shown(letter), after: { queued: retried.key } }, 'dead letter retried');
      return { id, teamId: letter.teamId, key: retried.key };
    },

    async discard(viewer, id) {
      const letter = await letterFor(viewer, id);
      if (!(await deadLetters.take(id))) throw new DeadLetterNotFoundError();
      await audited({ actor: viewer.actor, teamId: letter.teamId, action: 'dead-letter-discard', target: id, before: shown(letter), after: null }, 'dead letter discarded');
      return { id, teamId: letter.teamId };
    },

    async workspaces(viewer, { team }) {
      const teamId = scopeOf(viewer, team);
      const all = await workspaces.installations();
      return { workspaces: all.filter((i) => teamId === null || i.teamId === teamId).map(workspaceRow) };
    },

    async members(viewer, { team, q, cursor, limit }) {
      const teamId = scopeOf(viewer, team);
      const page = await users.list({ ...(teamId ? { teamId } : {}), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}), limit: limit ?? 25 });
      const teams = [...new Set(page.items.map((p) => p.teamId))];
      const admins = new Set((await Promise.all(teams.map((t) => roles.admins(t)))).flat().map((g) => `${g.teamId}/${g.userId}`));
      const operators = new Set((await roles.operators()).map((g) => `${g.teamId}/${g.userId}`));
      return {
        teamId,
        q: q ?? null,
        nextCursor: page.nextCursor,
        members: page.items.map((p) => ({
          teamId: p.teamId,
          userId: p.userId,
          displayName: p.displayName,
          admin: admins.has(`${p.teamId}/${p.userId}`),
          operator: operators.has(`${p.teamId}/${p.userId}`),
          since: p.createdAt,
        })),
      };
    },

    async promote(viewer, teamId, userId) {
      mayActOn(viewer, teamId);
      const [byTeam, byUser] = viewer.actor.startsWith('service:') ? [] : viewer.actor.split('/');
      const changed = await roles.grant({ teamId, userId, role: 'admin', grantedBy: byTeam && byUser ? { teamId: byTeam, userId: byUser } : 'command' });
      if (changed) await audited({ actor: viewer.actor, teamId, action: 'promote', target: `${teamId}/${userId}`, before: { admin: false }, after: { admin: true } }, 'member promoted');
      return { changed };
    },

    async demote(viewer, teamId, userId) {
      mayActOn(viewer, teamId);
      const admins = await roles.admins(teamId);
      if (!admins.some((g) => g.userId === userId)) throw new NotAnAdminRefusal();
      // A workspace keeps at least one admin, or nobody there could promote anyone again.
      if (admins.length === 1) throw new LastAdminRefusal(teamId);
      const changed = await roles.revoke(teamId, userId, 'admin');
      if (changed) await audited({ actor: viewer.actor, teamId, action: 'demote', target: `${teamId}/${userId}`, before: { admin: true }, after: { admin: false } }, 'member demoted');
      return { changed };
    },

    async usage(viewer, { team, days = 14, now = new Date() }) {
      const teamId = scopeOf(viewer, team);
      const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      const since = new Date(today - (days - 1) * DAY_MS);
      const rows = await usage.days({ since, ...(teamId ? { teamId } : {}) });
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(r.teamId, (totals.get(r.teamId) ?? 0) + r.commands);
      return {
        teamId,
        since: since.toISOString().slice(0, 10),
        days: rows,
        workspaces: [...totals].map(([t, commands]) => ({ teamId: t, commands })).sort((a, b) => b.commands - a.commands || a.teamId.localeCompare(b.teamId)),
      };
    },
  };
}
