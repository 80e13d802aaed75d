import { FLAG_NAME_PATTERN } from './flags-file.schema';
import { InvalidFlagNameError, InvalidRolloutError, InvalidStickinessError } from './flags.errors';
import { STICKINESS, type FlagState, type Stickiness } from './flags.types';

/**
 * What `npm run flags` does, against the flags file or Unleash's admin API. Both mean the same:
 * `on`/`off` flip the switch and keep the percentage; `rollout` sets the percentage (and
 * stickiness, when given) and switches the flag on. A flag that does not exist yet is created.
 */
export interface FlagAdmin {
  /** Where the flags live, for messages ("file flags.json", "Unleash http://... (default/development)"). */
  readonly target: string;
  list(): Promise<FlagState[]>;
  setEnabled(name: string, enabled: boolean): Promise<FlagState>;
  setRollout(name: string, percentage: number, stickiness?: Stickiness): Promise<FlagState>;
}

export function validateFlagName(name: string): string {
  if (!FLAG_NAME_PATTERN.test(name)) throw new InvalidFlagNameError(name);
  return name;
}

/** "50" or "50%" → 50; anything but a whole number from 0 to 100 is refused. */
export function parseRollout(text: string): number {
  const match = /^(\d{1,3})%?$/.exec(text.trim());
  const value = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(value) || value < 0 || value > 100) throw new InvalidRolloutError(text);
  return value;
}

export function parseStickiness(text: string): Stickiness {
  if (!(STICKINESS as readonly string[]).includes(text)) throw new InvalidStickinessError(text);
  return text as Stickiness;
}
