import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What travels with a request or a job through every await: ids for logs and traces. */
export interface RequestContext {
  requestId: string;
  traceparent?: string;
  /** Slack user and team of the caller, when known: the context for flag rollouts. */
  userId?: string;
  teamId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Adds fields to the current context (for example the Slack user once the event is parsed). */
export function enrichContext(fields: Partial<RequestContext>): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

export function newRequestId(): string {
  return randomUUID();
}
