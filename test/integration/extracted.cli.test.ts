import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { freePort } from '../../src/platform/db/embedded-postgres';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { waitFor } from '../support/queue-helpers';

/** `npm run service -- NAME` as a maintainer runs it: a real process, its log lines, its exit code. */
const root = resolve(__dirname, '../..');

type Child = ChildProcessByStdio<null, Readable, Readable>;

function runService(args: string[], env: Record<string, string> = {}): Child {
  return spawn(process.execPath, ['--import', 'tsx', 'src/processes/service.ts', ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(stream: Readable): { text(): string } {
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { text: () => text };
}

/** Resolves with the first log line that matches; rejects if the process ends first. */
function logLine(child: Child, matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolveLine, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (matches(parsed)) resolveLine(parsed);
        } catch {
          // Not a log line (tsx or npm chatter): not what we wait for.
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before logging the line`)));
  });
}

describe('npm run service -- NAME', () => {
  it('with an unknown name, then exits 1 with one line listing the services', async () => {
    const child = runService(['billing']);
    const stderr = collect(child.stderr);
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr.text().trim().split('\n')).toEqual([expect.stringMatching(/unknown service "billing".*users, weather, tokens/)]);
  });

  it('without DATABASE_URL and no Jeeves running on the embedded database, then exits 1 saying to start Jeeves first, and starts no PostgreSQL of its own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jeeves-service-alone-'));
    try {
      const child = runService(['weather'], { DATABASE_URL: '', JEEVES_DATA_DIR: dataDir, FLAGS_FILE: join(dataDir, 'flags.json'), UNLEASH_URL: '' });
      const stderr = collect(child.stderr);
      const [code] = (await once(child, 'exit')) as [number];
      expect(code).toBe(1);
      expect(stderr.text().trim().split('\n')).toEqual([
        `jeeves: jeeves-weather cannot start: no embedded PostgreSQL is running on ${join(dataDir, 'pg')}: start Jeeves first (\`npm start\` runs it), or set DATABASE_URL to a PostgreSQL of this service's own`,
      ]);
      expect(existsSync(join(dataDir, 'pg'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('weather', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    const afterCleanup: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const clean of afterCleanup) await clean();
      await db?.drop();
    });

    it('listens on the port of WEATHER_SERVICE_URL, logs as jeeves-weather, and stops cleanly on SIGTERM', async () => {
      const port = await freePort();
      const child = runService(['weather'], { DATABASE_URL: db.url, WEATHER_SERVICE_URL: `http://127.0.0.1:${port}` });
      const exited = once(child, 'exit');
      try {
        const listening = await logLine(child, (line) => typeof line.msg === 'string' && line.msg.includes('is listening'));
        expect(listening.name).toBe('jeeves-weather');
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        expect((await fetch(`http://127.0.0.1:${port}/api/weather?place=Paris`)).status).toBe(401);
      } finally {
        child.kill('SIGTERM');
      }
      const [code] = (await exited) as [number];
      expect(code).toBe(0);
    });

    it('on SIGTERM with SHUTDOWN_DRAIN_MS, then /readyz answers 503 draining at once while its routes are still served, and it exits 0 after', async () => {
      const port = await freePort();
      // Ready needs verification keys: a key set of one key stands in for the monolith's.
      const { publicKey } = await generateKeyPair('ES256', { extractable: true });
      const jwks = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [{ ...(exportedKey as object), kid: 'cli-test', alg: 'ES256', use: 'sig' }] }));
      });
      const exportedKey = await exportJWK(publicKey);
      await new Promise<void>((done) => jwks.listen(0, '127.0.0.1', done));
      const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
      afterCleanup.push(() => new Promise<void>((done) => jwks.close(() => done())));
      const child = runService(['weather'], { DATABASE_URL: db.url, WEATHER_SERVICE_URL: `http://127.0.0.1:${port}`, SHUTDOWN_DRAIN_MS: '4000', TOKENS_JWKS_URL: jwksUrl });
      const exited = once(child, 'exit');
      const at = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      try {
        await logLine(child, (line) => typeof line.msg === 'string' && line.msg.includes('is listening'));
        expect((await at('/readyz')).status).toBe(200);
      } catch (err) {
        child.kill('SIGKILL');
        throw err;
      }
      // One signal only: a second one means "exit now", with 1.
      child.kill('SIGTERM');
      try {
        await waitFor(async () => (await at('/readyz')).status === 503, '/readyz to fail', 5000);
        expect(await (await at('/readyz')).json()).toEqual({ status: 'not ready', reason: 'draining' });
        expect((await at('/healthz')).status).toBe(200);
        expect((await at('/api/weather?place=Paris')).status).toBe(401);
      } catch (err) {
        child.kill('SIGKILL');
        throw err;
      }
      const [code] = (await exited) as [number];
      expect(code).toBe(0);
    });
  });
});
