import { z } from 'zod';
import { STICKINESS, type FlagState } from './flags.types';

/**
 * The FLAGS_FILE format (see flags.example.json):
 *
 *   { "flags": { "weather-remote": { "enabled": true, "rollout": 50, "stickiness": "userId" } } }
 *
 * `rollout` (0..100, default 100) and `stickiness` (default "default") mean what they mean in
 * an Unleash flexibleRollout. Unknown keys are errors, so a typo ("rolout") is caught rather
 * than silently rolling out to everyone.
 */
export const FLAG_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

export const flagNameSchema = z
  .string()
  .regex(FLAG_NAME_PATTERN, 'flag names are 1-100 lowercase letters, digits and dashes, not starting with a dash');

export const rolloutSchema = z.number().int().min(0).max(100);

const flagEntrySchema = z.strictObject({
  enabled: z.boolean(),
  rollout: rolloutSchema.default(100),
  stickiness: z.enum(STICKINESS).default('default'),
  description: z.string().optional(),
});

export const flagsFileSchema = z.strictObject({
  $comment: z.string().optional(),
  flags: z.record(flagNameSchema, flagEntrySchema),
});

export type FlagsFile = z.infer<typeof flagsFileSchema>;
export type FlagEntry = z.infer<typeof flagEntrySchema>;

export type ParseResult = { ok: true; file: FlagsFile } | { ok: false; error: string };

/** Parses the file's text; never throws, so a broken file can only ever cost a warning. */
export function parseFlagsFile(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const parsed = flagsFileSchema.safeParse(json);
  if (parsed.success) return { ok: true, file: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return { ok: false, error: `${where}${issue.message}` };
}

export function toFlagStates(file: FlagsFile): FlagState[] {
  return Object.entries(file.flags)
    .map(([name, entry]) => ({ name, enabled: entry.enabled, rollout: entry.rollout, stickiness: entry.stickiness }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function serializeFlagsFile(file: FlagsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
