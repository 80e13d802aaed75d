// cron-parser is not a direct dependency: it comes with bullmq (which uses it for the same
// job), so the in-process queue reads cron patterns exactly as the BullMQ backend does.
import { CronExpressionParser } from 'cron-parser';
import type { ScheduleSpec } from './queue';

/** Rejects a spec neither backend could run, before anything is stored. */
export function validateSchedule(spec: ScheduleSpec): void {
  if ('everyMs' in spec) {
    if (!Number.isFinite(spec.everyMs) || spec.everyMs <= 0) throw new Error(`everyMs must be positive, got ${spec.everyMs}`);
    return;
  }
  nextRunAt(spec, Date.now());
}

/**
 * The first tick strictly after `afterMs`. Intervals are aligned to multiples of everyMs,
 * as BullMQ aligns them; cron patterns are read in `tz` (default UTC), so daylight saving
 * moves the UTC instant and not the local time.
 */
export function nextRunAt(spec: ScheduleSpec, afterMs: number): number {
  if ('everyMs' in spec) return Math.floor(afterMs / spec.everyMs) * spec.everyMs + spec.everyMs;
  try {
    const expression = CronExpressionParser.parse(spec.pattern, {
      currentDate: new Date(afterMs),
      ...(spec.tz ? { tz: spec.tz } : {}),
    });
    return expression.next().getTime();
  } catch (err) {
    throw new Error(`Invalid schedule pattern "${spec.pattern}"${spec.tz ? ` in ${spec.tz}` : ''}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
