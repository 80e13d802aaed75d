import type { MethodPolicy } from './remote.types';

/** How the switch calls into either implementation, by method name. */
export type Method = (...args: unknown[]) => Promise<unknown>;

/** Calls a method as the object's own, turning a synchronous throw into a rejection like any other failure. */
export function invoke(target: object, method: string, args: unknown[]): Promise<unknown> {
  try {
    // Safe: checkPolicy proved every policy key is a function on both implementations.
    return Promise.resolve((target as Record<string, Method>)[method].apply(target, args));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The compiler already holds T to its policy; this catches a cast or a JS caller at start-up rather than on a call. */
export function checkPolicy(module: string, policy: Record<string, MethodPolicy>, implementations: object[]): void {
  for (const method of Object.keys(policy)) {
    for (const target of implementations) {
      if (typeof (target as Record<string, unknown>)[method] !== 'function') throw new Error(`${module}: the policy names ${method}, which is not a method of the implementation`);
    }
  }
}
