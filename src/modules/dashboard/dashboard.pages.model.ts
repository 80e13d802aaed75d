import type { AuditRecord, ModuleRow, ModulesPanel, Placement, RouteFigures } from './dashboard.types';
import type { PlacementSetting } from './dashboard.placement';

/** The admin pages' data as text, escaped by the templates. /assets/admin.js formats the same way. */

const PLACEMENT_LABELS: Record<Placement, string> = { local: 'in-process', shadow: 'shadow', remote: 'remote' };
const ROUTE_LABELS: Record<RouteFigures['route'], string> = { local: 'in-process', remote: 'remote', shadow: 'shadow' };

export const PLACEMENT_CHOICES = [
  { value: 'local', label: 'in-process (local)' },
  { value: 'shadow', label: 'shadow (both, answer in-process)' },
  { value: 'remote', label: 'remote (its service)' },
] as const;

const percent = (share: number | null): string => (share === null ? '–' : `${(share * 100).toFixed(1)}%`);
const ms = (value: number | null): string => (value === null ? '–' : `≤ ${value} ms`);
const outcomes = (byOutcome: Record<string, number>): string =>
  Object.entries(byOutcome)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([o, n]) => `${o} ${n}`)
    .join(' · ');

function moduleModel(m: ModuleRow, submitted: { module: string; placement: string; rollout: string } | undefined) {
  const mine = submitted?.module === m.module ? submitted : undefined;
  return {
    module: m.module,
    remoteConfigured: m.remoteConfigured,
    placement: m.placement,
    placementLabel: PLACEMENT_LABELS[m.placement],
    rollout: m.placement === 'local' ? '' : `at ${m.rollout}%`,
    stickiness: m.stickiness,
    breaker: m.breaker,
    routes: m.routes.map((r) => ({
      route: r.route,
      label: ROUTE_LABELS[r.route],
      calls: String(r.totalCalls),
      lastMinute: String(r.callsPerMinute),
      outcomes: outcomes(r.outcomes),
      errorRate: percent(r.errorRate),
      p50: ms(r.p50Ms),
      p99: ms(r.p99Ms),
    })),
    mismatch: percent(m.shadowMismatchRate),
    /** The last few (already redacted by the panel); updated on reload, not live. */
    recentMismatches: m.recentMismatches.slice(0, 3),
    form: mine ? { placement: mine.placement, rollout: mine.rollout } : { placement: m.placement, rollout: String(m.placement === 'local' ? 100 : m.rollout) },
  };
}

const seconds = (refreshMs: number): string => (refreshMs % 1000 === 0 ? `${refreshMs / 1000} s` : `${(refreshMs / 1000).toFixed(1)} s`);

export function modulesPageModel(panel: ModulesPanel, csrf: string, submitted?: { module: string; placement: string; rollout: string }) {
  return {
    csrf,
    flagsTarget: panel.flagsTarget,
    refresh: seconds(panel.refreshMs),
    refreshMs: panel.refreshMs,
    process: panel.process,
    placements: PLACEMENT_CHOICES,
    modules: panel.modules.map((m) => moduleModel(m, submitted)),
  };
}

/** A before/after as a person reads it: "remote at 50%", else compact JSON. */
export function describeState(value: unknown): string {
  if (value === null || value === undefined) return '–';
  const setting = value as Partial<PlacementSetting>;
  if (typeof setting.placement === 'string' && typeof setting.rollout === 'number') {
    return setting.placement === 'local' ? 'in-process' : `${setting.placement} at ${setting.rollout}%`;
  }
  return JSON.stringify(value);
}

export function auditPageModel(entries: AuditRecord[], limit: number) {
  return {
    limit,
    entries: entries.map((e) => ({
      id: e.id,
      at: e.at,
      when: e.at.replace('T', ' ').replace(/\.\d+Z$/, ''),
      actor: e.actor,
      action: e.action,
      target: e.target,
      teamId: e.teamId,
      before: describeState(e.before),
      after: describeState(e.after),
    })),
  };
}
