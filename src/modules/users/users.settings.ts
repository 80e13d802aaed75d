import { InvalidSettingError, UnknownSettingError } from './users.errors';
import { canonicalTimeZone } from './users.timezone';

/** A setting a member may change with `config set`: what it means and what it accepts. */
export interface SettingDefinition {
  readonly key: string;
  /** One line, for `config show` and help. */
  readonly description: string;
  /** The values accepted, in words, for error messages. */
  readonly allowed: string;
  /** The value as stored, or undefined when it is not acceptable. */
  readonly normalise: (value: string) => string | undefined;
}

const CONTROL_CHARACTERS = /\p{Cc}/u;

export const USER_SETTINGS: readonly SettingDefinition[] = [
  {
    key: 'units',
    description: 'units for weather reports: metric or imperial',
    allowed: 'metric or imperial',
    normalise: (value) => {
      const v = value.trim().toLowerCase();
      return v === 'metric' || v === 'imperial' ? v : undefined;
    },
  },
  {
    key: 'timezone',
    description: 'your time zone for alerts and reminders (e.g. Europe/Paris); defaults to your location’s',
    allowed: 'an IANA time zone such as Europe/Paris or America/New_York',
    normalise: canonicalTimeZone,
  },
  {
    key: 'name',
    description: 'how Jeeves addresses you',
    allowed: 'a name of 1 to 50 characters',
    normalise: (value) => {
      const v = value.trim();
      const length = [...v].length;
      return length >= 1 && length <= 50 && !CONTROL_CHARACTERS.test(v) ? v : undefined;
    },
  },
];

const BY_KEY = new Map(USER_SETTINGS.map((s) => [s.key, s]));

/** Keys are matched without regard to case or surrounding spaces: "Units" is `units`. */
export function findSetting(key: string): SettingDefinition | undefined {
  return BY_KEY.get(key.trim().toLowerCase());
}

export function knownSettingKeys(): string[] {
  return USER_SETTINGS.map((s) => s.key);
}

/** The definition for a key; throws USERS.UNKNOWN_SETTING naming the keys that exist. */
export function settingFor(key: string): SettingDefinition {
  const setting = findSetting(key);
  if (!setting) throw new UnknownSettingError(key, knownSettingKeys());
  return setting;
}

/** The key and value as stored; throws USERS.UNKNOWN_SETTING or USERS.INVALID_SETTING. */
export function parseSetting(key: string, value: string): { key: string; value: string } {
  const setting = settingFor(key);
  const normalised = setting.normalise(value);
  if (normalised === undefined) throw new InvalidSettingError(setting.key, setting.allowed);
  return { key: setting.key, value: normalised };
}
