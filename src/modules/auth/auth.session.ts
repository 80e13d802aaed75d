import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Request, RequestHandler, Response } from 'express';
import { Pool } from 'pg';
import type { Logger } from '../../platform/logger';

export const SESSION_COOKIE = 'jeeves.sid';
export const SESSIONS_TABLE = 'auth_sessions';

export interface SessionMiddlewareOptions {
  /** The database whose auth_sessions table (created by the auth migration) holds the sessions. */
  databaseUrl: string;
  secret: string;
  /** PUBLIC_URL is https: the cookie is Secure, and the TLS terminator's X-Forwarded-Proto is believed for it. */
  secure: boolean;
  maxAgeMs: number;
  logger: Logger;
}

export interface SessionMiddleware {
  middleware: RequestHandler;
  close(): Promise<void>;
}

/** express-session on PostgreSQL (connect-pg-simple): every process of a deployment sees every session. */
export function createSessionMiddleware({ databaseUrl, secret, secure, maxAgeMs, logger }: SessionMiddlewareOptions): SessionMiddleware {
  // A small pool of its own: the store speaks pg directly, not through TypeORM.
  const pool = new Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5000 });
  pool.on('error', (err) => logger.warn({ err }, 'session store: an idle database connection failed'));
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: SESSIONS_TABLE,
    // The migration made the table; a process never creates tables at run time.
    createTableIfMissing: false,
    // Sessions last maxAgeMs from sign-in; no write to the table on every request.
    disableTouch: true,
    errorLog: (...args: unknown[]) => logger.error({ detail: args.map(String).join(' ') }, 'session store failed'),
  });
  const middleware = session({
    name: SESSION_COOKIE,
    secret,
    store,
    resave: false,
    // A stranger gets no row and no cookie until a sign-in starts.
    saveUninitialized: false,
    rolling: false,
    ...(secure ? { proxy: true } : {}),
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: maxAgeMs },
  });
  return {
    middleware,
    close: async () => {
      store.close();
      await pool.end();
    },
  };
}

/** Destroys the request's session in the store and tells the browser to drop its cookie. */
export function endSession(req: Request, res: Response, secure: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.destroy((err: unknown) => {
      if (err) return reject(err instanceof Error ? err : new Error(String(err)));
      res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
      resolve();
    });
  });
}
