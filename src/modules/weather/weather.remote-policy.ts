import type { ModulePolicy } from '../../platform/remote';
import type { WeatherService } from './weather.types';

/** Weather is stateless: every call can be answered in-process when its service is down. */
export const weatherRemotePolicy: ModulePolicy<WeatherService> = {
  geocode: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
  current: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
  currentFor: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
};
