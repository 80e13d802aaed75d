import { matchWords, parseLocalTime } from '../../kernel';
import { invalidAlertTime } from './alerts.errors';

/**
 * The pure parser of `alerts`, `alerts on [at HH:MM]`, `alerts off`. Text that starts with
 * the word always matches, so a member who got the rest wrong is told how to say it.
 */
export type AlertsArgs =
  | { kind: 'status' }
  | { kind: 'on'; time?: string }
  | { kind: 'off' }
  | { kind: 'reply'; text: string };

export const ALERTS_USAGE = 'Say `alerts on` for a daily weather message at 07:30 your time, `alerts on at HH:MM` (24-hour) for another time, or `alerts off`.';


export function parseAlerts(text: string): AlertsArgs | null {
  const rest = matchWords(text, 'alerts') ?? matchWords(text, 'alert');
  if (rest === null) return null;
  if (rest === '') return { kind: 'status' };
  if (rest.toLowerCase() === 'off') return { kind: 'off' };
  const after = matchWords(rest, 'on');
  if (after === null) return { kind: 'reply', text: ALERTS_USAGE };
  if (after === '') return { kind: 'on' };
  const time = matchWords(after, 'at') ?? after;
  if (parseLocalTime(time)) return { kind: 'on', time };
  // Something time-like but wrong (25:00, 7:5) gets a precise answer; anything else the usage.
  return { kind: 'reply', text: /^\d[\d:.]*$/u.test(time) ? invalidAlertTime(time) : ALERTS_USAGE };
}
