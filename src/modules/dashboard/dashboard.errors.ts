import { UnavailableError } from '../../platform/errors';

/** The queues panel cannot be shown: the job queue's backend failed or did not answer in time. */
export class QueuesUnavailableError extends UnavailableError {
  constructor(cause: unknown) {
    super('DASHBOARD.QUEUES_UNAVAILABLE', `The job queue cannot be read right now: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}
