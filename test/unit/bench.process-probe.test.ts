import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleBuild } from '../../bench/lib/build';
import { freePort } from '../../bench/lib/free-port';
import { residentBytes, spawnProcess } from '../../bench/lib/process-probe';
import { alive } from '../support/process-alive';

/**
 * A tiny server that answers /readyz 503 until it has been asked `notReadyFor` times (/asked
 * says how often it was), holds a touched buffer of `holdMb` MB, and burns CPU for 200 ms on /burn.
 */
function tinyServer(port: number, notReadyFor: number, holdMb: number): string {
  return `
    const held = Buffer.alloc(${holdMb} * 1024 * 1024, 1);
    let asked = 0;
    require('node:http').createServer((req, res) => {
      if (req.url === '/readyz') { asked += 1; res.statusCode = asked > ${notReadyFor} ? 200 : 503; return res.end(String(asked)); }
      if (req.url === '/asked') return res.end(String(asked));
      if (req.url === '/burn') { const until = Date.now() + 200; while (Date.now() < until); return res.end(String(held.length)); }
      res.statusCode = 404; res.end();
    }).listen(${port}, '127.0.0.1');
    process.on('SIGTERM', () => process.exit(0));
  `;
}

describe('the bench measuring a process from outside', () => {
  it('waits for the first /readyz 200, reads VmRSS and CPU from /proc, and stops the process', async () => {
    const port = await freePort();
    const proc = await spawnProcess({
      name: 'tiny',
      command: process.execPath,
      args: ['-e', tinyServer(port, 3, 64)],
      env: { PATH: process.env.PATH },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    });
    try {
      // Three 503s, then the 200 (and maybe refused connections before it listened); no poll after it.
      expect(await (await fetch(`http://127.0.0.1:${port}/asked`)).text()).toBe('4');
      expect(proc.polls).toBeGreaterThanOrEqual(4);
      expect(proc.startupMs).toBeGreaterThan(0);
      expect(await proc.residentBytes()).toBeGreaterThan(64 * 1024 * 1024);
      expect(await residentBytes(proc.pid)).toBeGreaterThan(64 * 1024 * 1024);
      await proc.cpuMark();
      await (await fetch(`http://127.0.0.1:${port}/burn`)).text();
      const cpu = await proc.cpuRead();
      expect(cpu.cores).toBeGreaterThan(0);
      expect(cpu.wallMs).toBeGreaterThan(0);
    } finally {
      await proc.close();
    }
    expect(alive(proc.pid)).toBe(false);
  });

  it('fails, naming the exit code, when the process exits before it is ready', async () => {
    const port = await freePort();
    await expect(
      spawnProcess({ name: 'quitter', command: process.execPath, args: ['-e', 'process.exit(3)'], env: {}, readyUrl: `http://127.0.0.1:${port}/readyz` }),
    ).rejects.toThrow('quitter exited before it was ready (code 3)');
  });

  it('kills a process that is never ready once the time is up', async () => {
    const port = await freePort();
    const outcome = await spawnProcess({
      name: 'never',
      command: process.execPath,
      args: ['-e', tinyServer(port, 1e9, 1)],
      env: {},
      readyUrl: `http://127.0.0.1:${port}/readyz`,
      readyTimeoutMs: 300,
    }).then(
      // Taken for ready by mistake: stopped here, so a failing test leaves no process behind.
      (proc) => proc.close().then(() => 'ready'),
      (err: Error) => err.message,
    );
    expect(outcome).toBe('never was not ready within 300 ms');
    // The port is free again: the process is gone.
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('the bench deciding whether dist/ must be rebuilt', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'jeeves-stale-'));
    await mkdir(join(root, 'src', 'platform'), { recursive: true });
    await writeFile(join(root, 'src', 'platform', 'app.ts'), 'export {};\n');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('rebuilds when dist/ is missing, or older than a source, and not when it is newer', async () => {
    expect(await staleBuild(root)).toBe('dist/ is missing');
    const built = join(root, 'dist', 'src', 'processes', 'main.js');
    await mkdir(join(root, 'dist', 'src', 'processes'), { recursive: true });
    await writeFile(built, '');
    const source = join(root, 'src', 'platform', 'app.ts');
    await utimes(built, new Date('2026-01-02T00:00:00Z'), new Date('2026-01-02T00:00:00Z'));
    await utimes(source, new Date('2026-01-03T00:00:00Z'), new Date('2026-01-03T00:00:00Z'));
    expect(await staleBuild(root)).toBe('a source is newer than dist/');
    await utimes(source, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    expect(await staleBuild(root)).toBeUndefined();
  });
});
