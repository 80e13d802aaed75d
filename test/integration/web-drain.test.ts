import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signSlackRequest } from '../../src/modules/slack';
import { lineFrom, spawnJeevesProcess } from '../support/child-output';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { waitFor } from '../support/queue-helpers';

/**
 * Issue 13, graceful drain as Kubernetes expects, on the real `src/processes/main.ts` in a
 * process of its own: on SIGTERM /readyz fails at once while everything else is served for
 * SHUTDOWN_DRAIN_MS; then the port closes, a request in flight still gets its answer, and the
 * process exits 0.
 */

jest.setTimeout(90_000);

const SIGNING_SECRET = 'drain-test-signing-secret';
// Long enough for the checks made during it on a busy machine; the test waits on conditions, never on this.
const DRAIN_MS = 4000;

const url = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;

/** Slack's url_verification, signed: the fast path's answer is the challenge. */
function verification(challenge: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ type: 'url_verification', token: 'unused', challenge });
  return { body, headers: { 'content-type': 'application/json', ...signSlackRequest(SIGNING_SECRET, body) } };
}

/** A client that has sent the request line, the headers and half the body, and sends the rest when told. */
async function slowRequest(port: number, challenge: string): Promise<{ finish(): void; answer: Promise<string> }> {
  const { body, headers } = verification(challenge);
  const socket: Socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const answer = new Promise<string>((resolve, reject) => {
    socket.once('close', () => resolve(received));
    socket.once('error', reject);
  });
  const head = [`POST /slack/events HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Content-Length: ${Buffer.byteLength(body)}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  const half = Math.floor(body.length / 2);
  socket.write(`${head.join('\r\n')}\r\n\r\n${body.slice(0, half)}`);
  return { finish: () => socket.write(body.slice(half)), answer };
}

/** Whether the port still takes a new connection. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start on SIGTERM: drain, then close', () => {
  let db: TestDatabase;
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'jeeves-drain-'));
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when SIGTERM arrives, then /readyz answers 503 draining at once while /healthz and Slack are served, an in-flight request finishes after the port closes, and the exit code is 0', async () => {
    child = spawnJeevesProcess('main', dataDir, {
      DATABASE_URL: db.url,
      REDIS_URL: '',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: '',
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      SHUTDOWN_GRACE_MS: '10000',
    });
    const started = JSON.parse(await lineFrom(child, /"msg":"Jeeves is listening/, 45_000)) as { port: number };
    const { port } = started;
    expect((await fetch(url(port, '/readyz'))).status).toBe(200);
    const inFlight = await slowRequest(port, 'in-flight');
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

    child.kill('SIGTERM');
    await waitFor(async () => (await fetch(url(port, '/readyz'))).status === 503, '/readyz to fail', 5000);

    // Draining: not ready, and saying why, while everything else is still served.
    const readyz = await fetch(url(port, '/readyz'));
    expect({ status: readyz.status, body: await readyz.json() }).toEqual({ status: 503, body: { status: 'not ready', reason: 'draining' } });
    expect((await fetch(url(port, '/healthz'))).status).toBe(200);
    const { body, headers } = verification('during the drain');
    const event = await fetch(url(port, '/slack/events'), { method: 'POST', headers, body });
    expect({ status: event.status, body: await event.json(), connection: event.headers.get('connection') }).toEqual({
      status: 200,
      body: { challenge: 'during the drain' },
      // Keep-alive clients are told to reconnect, so they go to another pod.
      connection: 'close',
    });

    // The drain over, the port closes while the request begun before SIGTERM is still open.
    await waitFor(async () => !(await accepts(port)), 'the port to close', DRAIN_MS + 10_000);
    expect(child.exitCode).toBeNull();
    inFlight.finish();
    const answer = await inFlight.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toContain('{"challenge":"in-flight"}');

    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
