import { z } from 'zod';

/** The JSON of the workspace panels' twins, as clients (and the tests) may check it. */
const teamId = z.string().min(1);
const isoTime = z.iso.datetime();
const count = z.number().int().nonnegative();
const ms = z.number().nonnegative().nullable();

export const deadLettersPanelSchema = z.object({
  teamId: teamId.nullable(),
  deadLetters: z.array(
    z.object({ id: z.string(), teamId, channel: z.string(), text: z.string(), code: z.string(), reason: z.string(), attempts: count, failedAt: isoTime }),
  ),
});

export const deadLetterRetriedSchema = z.object({ retried: z.object({ id: z.string(), teamId, key: z.string() }) });
export const deadLetterDiscardedSchema = z.object({ discarded: z.object({ id: z.string(), teamId }) });

export const workspacesPanelSchema = z.object({
  workspaces: z.array(
    z.object({
      teamId,
      teamName: z.string().nullable(),
      installedAt: isoTime.nullable(),
      installerUserId: z.string().nullable(),
      scopes: z.array(z.string()),
      token: z.object({ rotating: z.boolean(), expiresAt: isoTime.nullable(), lastRefreshedAt: isoTime.nullable(), lastError: z.string().nullable(), lastErrorAt: isoTime.nullable() }),
      uninstalledAt: isoTime.nullable(),
      uninstallReason: z.string().nullable(),
    }),
  ),
});

export const membersPanelSchema = z.object({
  teamId: teamId.nullable(),
  q: z.string().nullable(),
  members: z.array(z.object({ teamId, userId: z.string(), displayName: z.string().nullable(), admin: z.boolean(), operator: z.boolean(), since: isoTime })),
  nextCursor: z.string().nullable(),
});

export const memberRoleChangedSchema = z.object({ teamId, userId: z.string(), admin: z.boolean(), changed: z.boolean() });

export const usagePanelSchema = z.object({
  teamId: teamId.nullable(),
  since: z.iso.date(),
  days: z.array(z.object({ day: z.iso.date(), teamId, commands: count, replied: count, p50Ms: ms, p95Ms: ms })),
  workspaces: z.array(z.object({ teamId, commands: count })),
});
