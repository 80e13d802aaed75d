import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { StateStoreStoreCallback, StateStoreVerifyCallback } from 'passport-oauth2';
import { SignInRejectedError } from './auth.errors';

/** One sign-in started by GET /login and not yet finished, kept in the session under its `state`. */
export interface PendingSignIn {
  nonce: string;
  /** Where to go once signed in: a path of this site. */
  returnTo: string;
  /** ms since the epoch. */
  startedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    pendingSignIns?: Record<string, PendingSignIn>;
  }
}

export interface LoginStateStoreOptions {
  /** How long a started sign-in may take (default 10 minutes). */
  ttlMs?: number;
  /** Sign-ins one session may have open at once, e.g. in several tabs (default 5). */
  maxPending?: number;
  now?: () => number;
}

/**
 * passport-oauth2's state store (its four-argument form): `store` files a random state with the
 * sign-in's nonce in the session; `verify` takes it out, once, so a replayed, forged or missing
 * state, or one from another browser's session, signs nobody in.
 */
export class LoginStateStore {
  readonly #ttlMs: number;
  readonly #maxPending: number;
  readonly #now: () => number;
  readonly #verified = new WeakMap<Request, PendingSignIn>();

  constructor({ ttlMs = 10 * 60_000, maxPending = 5, now = Date.now }: LoginStateStoreOptions = {}) {
    this.#ttlMs = ttlMs;
    this.#maxPending = maxPending;
    this.#now = now;
  }

  store(req: Request, started: Omit<PendingSignIn, 'startedAt'>, _meta: unknown, callback: StateStoreStoreCallback): void {
    const state = randomBytes(32).toString('base64url');
    const now = this.#now();
    const open = Object.entries(req.session.pendingSignIns ?? {})
      .filter(([, pending]) => now - pending.startedAt < this.#ttlMs)
      .slice(-(this.#maxPending - 1));
    req.session.pendingSignIns = { ...Object.fromEntries(open), [state]: { ...started, startedAt: now } };
    callback(null, state);
  }

  verify(req: Request, state: unknown, _meta: unknown, callback: StateStoreVerifyCallback): void {
    const pending = req.session.pendingSignIns ?? {};
    const found = typeof state === 'string' && Object.hasOwn(pending, state) ? pending[state] : undefined;
    if (found) {
      const { [state as string]: _used, ...rest } = pending;
      req.session.pendingSignIns = rest;
    }
    if (typeof state !== 'string' || state === '') return callback(new SignInRejectedError('the callback carried no state'), false, undefined);
    if (!found) return callback(new SignInRejectedError('the state is not one this browser started, or was used already'), false, undefined);
    if (this.#now() - found.startedAt >= this.#ttlMs) return callback(new SignInRejectedError('the sign-in took too long; start again'), false, undefined);
    this.#verified.set(req, found);
    callback(null, true, found);
  }

  /** The sign-in this callback request finishes, once verify() accepted its state. */
  verified(req: Request): PendingSignIn | undefined {
    return this.#verified.get(req);
  }
}
