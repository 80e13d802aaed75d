/**
 * Feature flags: one FlagResolver over Unleash (UNLEASH_URL) or over FLAGS_FILE, with the same
 * rollout semantics (Unleash's flexibleRollout), and the admin side behind `npm run flags`.
 */
export type { FlagContext, FlagResolver, FlagState, FlagsBackend, FlagsChangedListener, Stickiness } from './flags.types';
export { STICKINESS } from './flags.types';
export { createFlagResolver, flagsBackend, type FlagResolverOptions } from './flags.resolver';
export { createFileFlagResolver, type FileFlagsOptions } from './file-flags';
export { createUnleashFlagResolver, type UnleashFlagsOptions } from './unleash-flags';
export { createFakeFlagResolver, type FakeFlagResolver, type FakeFlagSetting } from './fake-flags';
export { createFlagMetrics, type FlagMetrics } from './flags.metrics';
export { inRollout, normalizedValue } from './rollout';
export {
  FLAG_NAME_PATTERN,
  flagsFileSchema,
  parseFlagsFile,
  serializeFlagsFile,
  type FlagEntry,
  type FlagsFile,
} from './flags-file.schema';
export { parseRollout, parseStickiness, validateFlagName, type FlagAdmin } from './flags.admin';
export { createFileFlagAdmin, writeFileAtomically } from './file-flags.admin';
export { createUnleashFlagAdmin, type UnleashFlagAdminOptions } from './unleash-flags.admin';
export { unleashApiUrl } from './unleash-url';
export {
  FlagsFileInvalidError,
  InvalidFlagNameError,
  InvalidRolloutError,
  InvalidStickinessError,
  UnleashAuthError,
  UnleashRequestError,
  UnleashUnreachableError,
} from './flags.errors';
