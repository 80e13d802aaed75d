import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startSlackWithOAuth, type SlackOAuthStandInOptions, type SlackWithOAuth } from '../../scripts/stand-ins/slack-oauth.stand-in';
import { createApp } from '../../src/platform/app';
import { createWorkspaces, workspacesEntities, workspacesRouter, type Installation, type WorkspacesService } from '../../src/modules/workspaces';
import { createKeyring, decodeKey, generateKey, type Keyring } from '../../src/platform/crypto';
import { createDataSource } from '../../src/platform/db/data-source';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createTestDatabase, type TestDatabase } from './database';

/**
 * The workspaces module as a process would run it (its own DataSource on a test database, the
 * real Slack OAuth client) against the Slack stand-in with its OAuth endpoints, behind the app.
 */
export const PUBLIC_URL = 'http://jeeves.test';

export interface WorkspacesStack {
  db: TestDatabase;
  slack: SlackWithOAuth;
  /** The current time of every service built here; tests move it. */
  clock: { now: number };
  /** The one key of the stack's keyring, base64 as TOKEN_ENCRYPTION_KEY holds it. */
  keyringKey: string;
  keyring: Keyring;
  workspaces: WorkspacesService;
  app: Express;
  installed: Installation[];
  /** Every log line written by the services built here. */
  logs: string[];
  /** Another process: its own connection pool and caches, the same database. */
  anotherProcess(options?: { keyring?: Keyring }): Promise<WorkspacesService>;
  close(): Promise<void>;
}

export const newKey = () => decodeKey(generateKey())!;

export async function startWorkspacesStack(options: SlackOAuthStandInOptions = {}): Promise<WorkspacesStack> {
  const clock = { now: Date.UTC(2030, 0, 1, 12, 0, 0) };
  const [db, slack] = await Promise.all([createTestDatabase(), startSlackWithOAuth(options)]);
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  });
  const keyringKey = generateKey();
  const keyring = createKeyring([decodeKey(keyringKey)!]);
  const installed: Installation[] = [];
  const dataSources: DataSource[] = [];

  const build = async (ring: Keyring): Promise<WorkspacesService> => {
    const dataSource = createDataSource({ url: db.url, entities: workspacesEntities, migrations: [], poolSize: 4 });
    await dataSource.initialize();
    dataSources.push(dataSource);
    return createWorkspaces({
      dataSource,
      keyring: ring,
      slackApiUrl: slack.api.url,
      oauthUrl: slack.oauthUrl,
      clientId: slack.oauth.clientId,
      clientSecret: slack.oauth.clientSecret,
      publicUrl: PUBLIC_URL,
      logger,
      clock: () => clock.now,
      onInstalled: (installation) => {
        installed.push(installation);
      },
    });
  };

  const workspaces = await build(keyring);
  const app = createApp({ logger, metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: '/', router: workspacesRouter({ workspaces, publicUrl: PUBLIC_URL, logger }) }] });
  return {
    db,
    slack,
    clock,
    keyringKey,
    keyring,
    workspaces,
    app,
    installed,
    logs,
    anotherProcess: ({ keyring: ring = keyring } = {}) => build(ring),
    async close() {
      await Promise.all(dataSources.map((d) => d.destroy()));
      await slack.api.close();
      await db.drop();
    },
  };
}

export interface InstallAttempt {
  /** The browser's install cookie, as `name=value`. */
  cookie: string;
  /** Where Slack sent the browser back: the callback's path and query. */
  callback: string;
  state: string;
}

/** A browser clicking "Add to Slack" and Allow on the stand-in: up to, not including, the callback. */
export async function beginInstall(stack: Pick<WorkspacesStack, 'app'>, who: { team?: string; teamName?: string; user?: string } = {}): Promise<InstallAttempt> {
  const start = await request(stack.app).get('/install').expect(302);
  const cookie = (start.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  const authorize = new URL(start.headers.location as string);
  // Straight back with a code, as a person clicking Allow would come back.
  authorize.searchParams.set('auto', '1');
  if (who.team) authorize.searchParams.set('team', who.team);
  if (who.teamName) authorize.searchParams.set('team_name', who.teamName);
  if (who.user) authorize.searchParams.set('user', who.user);
  const slackAnswer = await fetch(authorize, { redirect: 'manual' });
  if (slackAnswer.status !== 302) throw new Error(`the authorize page answered ${slackAnswer.status}: ${await slackAnswer.text()}`);
  const back = new URL(slackAnswer.headers.get('location')!);
  return { cookie, callback: `${back.pathname}${back.search}`, state: back.searchParams.get('state')! };
}

/** The whole click-through: the callback's answer. */
export async function install(stack: Pick<WorkspacesStack, 'app'>, who: { team?: string; teamName?: string; user?: string } = {}): Promise<request.Response> {
  const attempt = await beginInstall(stack, who);
  return request(stack.app).get(attempt.callback).set('cookie', attempt.cookie);
}

export const installationRows = (stack: WorkspacesStack): Promise<Array<Record<string, unknown>>> =>
  stack.db.dataSource.query(`SELECT * FROM workspaces_installations ORDER BY team_id`);
