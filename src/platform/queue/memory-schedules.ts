import type { CancelTimer, Clock } from './clock';
import type { ScheduleSpec } from './queue';
import { nextRunAt, validateSchedule } from './schedule-timing';

interface ScheduleHooks {
  clock: Clock;
  isClosed(): boolean;
  add(queue: string, name: string, payload: string | undefined): string;
  isPending(queue: string, jobId: string): boolean;
  remove(queue: string, jobId: string): void;
}

interface Schedule {
  cancel: CancelTimer;
  lastJobId?: string;
}

/**
 * Recurring schedules of the in-process queue, with BullMQ's job-scheduler behaviour: an
 * interval ticks at once and then on multiples of everyMs, a cron pattern on its next match;
 * a tick whose previous job has not started yet adds nothing, so an idle queue does not pile up.
 */
export function createMemorySchedules(hooks: ScheduleHooks) {
  const { clock } = hooks;
  const schedules = new Map<string, Schedule>();
  const keyOf = (queue: string, id: string) => `${queue}\u0000${id}`;

  const stop = (queue: string, id: string) => {
    const schedule = schedules.get(keyOf(queue, id));
    if (!schedule) return;
    schedule.cancel();
    schedules.delete(keyOf(queue, id));
    if (schedule.lastJobId !== undefined) hooks.remove(queue, schedule.lastJobId);
  };

  return {
    upsert(queue: string, id: string, spec: ScheduleSpec, name: string, payload: string | undefined): void {
      validateSchedule(spec);
      stop(queue, id);
      const schedule: Schedule = { cancel: () => undefined };
      const key = keyOf(queue, id);
      schedules.set(key, schedule);
      const tick = (dueAt: number) => {
        if (schedules.get(key) !== schedule || hooks.isClosed()) return;
        if (schedule.lastJobId === undefined || !hooks.isPending(queue, schedule.lastJobId)) {
          schedule.lastJobId = hooks.add(queue, name, payload);
        }
        arm(dueAt);
      };
      // From the instant this tick was due, so a timer firing a little early never repeats it.
      const arm = (after: number) => {
        const at = nextRunAt(spec, Math.max(after, clock.now()));
        schedule.cancel = clock.schedule(() => tick(at), at - clock.now());
      };
      if ('everyMs' in spec) tick(clock.now());
      else arm(clock.now());
    },
    remove: stop,
    stopAll(): void {
      for (const schedule of schedules.values()) schedule.cancel();
      schedules.clear();
    },
  };
}
