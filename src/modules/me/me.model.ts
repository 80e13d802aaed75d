import { formatLocalDateTime, hasCode, type MemberRef } from '../../kernel';
import type { AlertsService, AlertStatus } from '../alerts';
import type { Member } from '../auth';
import type { Reminder, RemindersService } from '../reminders';
import { USER_SETTINGS, type UserProfile, type UsersService } from '../users';

export interface MePorts {
  users: UsersService;
  reminders: Pick<RemindersService, 'list' | 'timezoneFor'>;
  alerts: Pick<AlertsService, 'get'>;
}

/** Everything Jeeves keeps about one member, read through each module's face. */
export interface MemberData {
  member: Member;
  /** Null when the users module has never seen them (reading creates nothing). */
  profile: UserProfile | null;
  reminders: Reminder[];
  alerts: AlertStatus | null;
  timezone: string;
}

export async function readMemberData(ports: MePorts, member: Member): Promise<MemberData> {
  const ref: MemberRef = { teamId: member.teamId, userId: member.userId };
  const [profile, reminders, alerts, timezone] = await Promise.all([
    ports.users.get(ref).catch((err: unknown) => {
      if (hasCode(err, 'USERS.NOT_FOUND')) return null;
      throw err;
    }),
    ports.reminders.list(ref),
    ports.alerts.get(ref),
    ports.reminders.timezoneFor(ref),
  ]);
  return { member, profile, reminders, alerts, timezone };
}

/** What a form sent, shown again after a refusal so nothing typed is lost. */
export interface Submitted {
  place?: string;
  setting?: { key: string; value: string };
  alertsEnabled?: string;
  alertTime?: string;
}

/** The page's data: plain strings, escaped by the template. */
export function pageModel(data: MemberData, csrf: string, submitted: Submitted = {}) {
  const settings = data.profile?.settings ?? {};
  return {
    csrf,
    member: data.member,
    displayName: settings.name ?? data.profile?.displayName ?? data.member.name ?? data.member.userId,
    location: data.profile?.location ?? null,
    settings: USER_SETTINGS.map((s) => {
      const value = settings[s.key] ?? null;
      const retyped = submitted.setting?.key === s.key ? submitted.setting.value : undefined;
      return { key: s.key, description: s.description, allowed: s.allowed, value, shown: retyped ?? value ?? '' };
    }),
    reminders: data.reminders.map((r) => ({ id: r.id, text: r.text, due: formatLocalDateTime(new Date(r.dueAt), data.timezone) })),
    alerts: data.alerts && {
      enabled: data.alerts.enabled,
      localTime: data.alerts.localTime,
      timezone: data.alerts.timezone,
      nextAt: data.alerts.nextAt ? formatLocalDateTime(new Date(data.alerts.nextAt), data.alerts.timezone) : null,
    },
    form: {
      place: submitted.place ?? '',
      alertsEnabled: submitted.alertsEnabled ?? (data.alerts?.enabled === false ? 'off' : 'on'),
      alertTime: submitted.alertTime ?? data.alerts?.localTime ?? '07:30',
    },
  };
}

/** "Download my data": the same reads, as one JSON document. */
export function dataExport(data: MemberData, now: Date) {
  const { profile } = data;
  return {
    exportedAt: now.toISOString(),
    member: data.member,
    profile: profile && { displayName: profile.displayName, createdAt: profile.createdAt, updatedAt: profile.updatedAt },
    location: profile?.location ?? null,
    settings: profile?.settings ?? {},
    reminders: data.reminders,
    alertSubscription: data.alerts,
  };
}
