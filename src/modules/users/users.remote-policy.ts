import type { ModulePolicy } from '../../platform/remote';
import type { UsersService } from './users.types';

/**
 * How the switch treats each call when users run as their own service. Reads fall back
 * in-process; writes fail clearly instead, so data never splits between two stores when
 * the service has its own database. getOrCreate is a write that is safe to repeat.
 */
export const usersRemotePolicy: ModulePolicy<UsersService> = {
  getOrCreate: { kind: 'write', idempotent: true, onRemoteFailure: 'fallback-local' },
  get: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
  setLocation: { kind: 'write', idempotent: true, onRemoteFailure: 'fail' },
  unsetLocation: { kind: 'write', idempotent: true, onRemoteFailure: 'fail' },
  getSetting: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
  setSetting: { kind: 'write', idempotent: true, onRemoteFailure: 'fail' },
  unsetSetting: { kind: 'write', idempotent: true, onRemoteFailure: 'fail' },
  listSettings: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
  forget: { kind: 'write', idempotent: true, onRemoteFailure: 'fail' },
  list: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
};
