import { z } from 'zod';
import { toAppError } from '../../platform/errors';
import { canonicalTimeZone } from './users.timezone';

/**
 * What the users API accepts and answers. The routes, the service and the HTTP client all
 * validate with these, so a bad input fails with the same HTTP.VALIDATION message whether
 * the module runs in-process or remotely; /openapi.json is generated from them (`.meta`).
 */

/** Where the users API is mounted, in the monolith and in the extracted service alike. */
export const USERS_API_PATH = '/api/users';

export const teamIdSchema = z.string().regex(/^T[A-Z0-9]{2,20}$/, 'must be a Slack team id such as T0123ABCD');
export const userIdSchema = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'must be a Slack user id such as U0123ABCD');

export const userRefSchema = z.object({ teamId: teamIdSchema, userId: userIdSchema }).meta({ id: 'UserRef' });

export const timeZoneSchema = z.string().transform((zone, ctx) => {
  const canonical = canonicalTimeZone(zone);
  if (canonical === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Paris' });
    return z.NEVER;
  }
  return canonical;
});

export const userLocationSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    timezone: timeZoneSchema,
  })
  .meta({ id: 'UserLocation' });

/**
 * Names come from Slack and are only a greeting: an odd one is tidied rather than refused,
 * so that a member with a blank or very long name can still talk to Jeeves.
 */
export const displayNameSchema = z
  .string()
  .max(1000)
  .transform((name) => {
    const tidy = [...name.trim()].slice(0, 100).join('');
    return tidy === '' ? undefined : tidy;
  });

/** What getOrCreate takes in-process; the HTTP body is the same but refuses unknown fields (typos). */
export const getOrCreateInitSchema = z.object({ displayName: displayNameSchema.optional() });
export const getOrCreateBodySchema = z.strictObject(getOrCreateInitSchema.shape).meta({ id: 'GetOrCreateUser' });

export const settingParamsSchema = userRefSchema.extend({ key: z.string() });

export const settingValueSchema = z.string().max(1000);
export const settingValueBodySchema = z.strictObject({ value: settingValueSchema }).meta({ id: 'SettingValue' });

export const DEFAULT_PAGE_SIZE = 50;

/** Query strings arrive as text, hence the coercion. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(500).nullish(),
  /** That workspace's members only. */
  teamId: teamIdSchema.optional(),
  /** Members whose display name or user id contains this, ignoring case. */
  q: z.string().trim().min(1).max(100).optional(),
});

export const userProfileSchema = z
  .object({
    teamId: z.string(),
    userId: z.string(),
    displayName: z.string().nullable(),
    location: z.object({ name: z.string(), latitude: z.number(), longitude: z.number(), timezone: z.string() }).nullable(),
    settings: z.record(z.string(), z.string()),
    isAdmin: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'UserProfile' });

export const userPageSchema = z.object({ items: z.array(userProfileSchema), nextCursor: z.string().nullable() }).meta({ id: 'UserPage' });

export const settingsResponseSchema = z.object({ settings: z.record(z.string(), z.string()) }).meta({ id: 'UserSettings' });

export const settingResponseSchema = z.object({ key: z.string(), value: z.string().nullable() }).meta({ id: 'UserSetting' });

export const locationRemovedResponseSchema = z.object({ removed: z.boolean() }).meta({ id: 'UserLocationRemoved' });
export const userForgottenResponseSchema = z.object({ forgotten: z.boolean() }).meta({ id: 'UserForgotten' });
export const settingRemovedResponseSchema = z.object({ key: z.string(), removed: z.boolean() }).meta({ id: 'UserSettingRemoved' });

/** Parses or throws the AppError the error middleware would make of it (HTTP.VALIDATION). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw toAppError(result.error);
  return result.data;
}
