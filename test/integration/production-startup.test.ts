import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineFrom, spawnJeevesProcess } from '../support/child-output';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * Issue 13, item 6: in production nothing lives only in one machine's files. A process started
 * with NODE_ENV=production and a variable missing whose development stand-in is a local file
 * (a secret under .jeeves/, the embedded database, the default flags.json) refuses to start,
 * saying which variable and why, and exits non-zero, having written nothing to its data
 * directory; with every one set, it starts.
 */
jest.setTimeout(90_000);

/** Everything production needs; each test leaves one out. */
function productionEnv(db: TestDatabase, dataDir: string): Record<string, string | undefined> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    SLACK_SIGNING_SECRET: 'a-production-signing-secret',
    SESSION_SECRET: 'a-production-session-secret',
    SERVICE_CLIENT_SECRET: 's'.repeat(32),
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    FLAGS_FILE: join(dataDir, '..', 'flags.json'),
  };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('starting in production', () => {
  let db: TestDatabase;
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'jeeves-production-'));
    dataDir = join(root, 'data');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  afterAll(() => db?.drop());

  it.each([
    ['main', 'DATABASE_URL', /DATABASE_URL: is required when NODE_ENV=production/],
    ['main', 'SLACK_SIGNING_SECRET', /SLACK_SIGNING_SECRET: is required when NODE_ENV=production/],
    ['main', 'SESSION_SECRET', /SESSION_SECRET: is required when NODE_ENV=production/],
    ['main', 'SERVICE_CLIENT_SECRET', /SERVICE_CLIENT_SECRET: is required when NODE_ENV=production/],
    ['main', 'TOKEN_ENCRYPTION_KEY', /TOKEN_ENCRYPTION_KEY: is required when NODE_ENV=production/],
    ['main', 'FLAGS_FILE', /FLAGS_FILE: NODE_ENV=production needs UNLEASH_URL .* or FLAGS_FILE set explicitly/],
    ['worker', 'FLAGS_FILE', /FLAGS_FILE: NODE_ENV=production needs UNLEASH_URL/],
    ['worker', 'SERVICE_CLIENT_SECRET', /SERVICE_CLIENT_SECRET: is required when NODE_ENV=production/],
  ] as const)('when %s starts without %s, then it names the variable and exits 1, writing nothing locally', async (entry, missing, says) => {
    const child = spawnJeevesProcess(entry, dataDir, { ...productionEnv(db, dataDir), [missing]: undefined });
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(1);
    expect(stderr).toMatch(says);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(() => readdirSync(dataDir)).toThrow(/ENOENT/);
  });

  it('when the weather service starts without FLAGS_FILE or Unleash, then it refuses the same way', async () => {
    const child = spawnJeevesProcess('service', dataDir, { ...productionEnv(db, dataDir), FLAGS_FILE: undefined }, ['weather']);
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(1);
    expect(stderr).toMatch(/FLAGS_FILE: NODE_ENV=production needs UNLEASH_URL/);
  });

  it('when the monolith has every variable, then it starts, keeps nothing in its data directory, and SIGTERM stops it cleanly', async () => {
    const child = spawnJeevesProcess('main', dataDir, productionEnv(db, dataDir));
    const exited = exitOf(child);
    const listening = JSON.parse(await lineFrom(child, /Jeeves is listening/, 45_000)) as { port: number };
    expect((await fetch(`http://127.0.0.1:${listening.port}/healthz`)).status).toBe(200);
    // Production has no development outbox.
    expect((await fetch(`http://127.0.0.1:${listening.port}/dev/outbox`)).status).toBe(404);
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    // No development secret, key or database was made on this machine's disk.
    expect(() => readdirSync(dataDir)).toThrow(/ENOENT/);
  });

  it('when the worker has every variable, then it starts', async () => {
    const child = spawnJeevesProcess('worker', dataDir, productionEnv(db, dataDir));
    const exited = exitOf(child);
    await lineFrom(child, /"msg":"Jeeves worker started"/, 45_000);
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });
});
