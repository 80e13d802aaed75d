import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineFrom, spawnJeevesProcess } from '../support/child-output';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, a real process (`npm run worker`) records spans and, when
 * it stops, sends them to the collector there over OTLP/HTTP, named after OTEL_SERVICE_NAME.
 */
jest.setTimeout(90_000);

describe('OTLP export from a worker process', () => {
  let collector: Server;
  let db: TestDatabase;
  let dataDir: string;
  const received: Array<{ method: string; url: string; body: Buffer }> = [];

  beforeAll(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'jeeves-otlp-'));
  });

  afterAll(async () => {
    await new Promise((resolve) => collector.close(resolve));
    await db?.drop();
    rmSync(dataDir, { force: true, recursive: true });
  });

  it('when the worker is probed and then stopped, then the collector has been sent the probe span', async () => {
    const { port } = collector.address() as AddressInfo;
    const child = spawnJeevesProcess('worker', dataDir, {
      DATABASE_URL: db.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'jeeves-otlp-probe',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const started = JSON.parse(await lineFrom(child, /"msg":"Jeeves worker started"/, 45_000)) as { port: number };
    expect((await fetch(`http://127.0.0.1:${started.port}/healthz`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const traces = received.filter((r) => r.method === 'POST' && r.url === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    const body = Buffer.concat(traces.map((t) => t.body));
    // OTLP's protobuf keeps strings as UTF-8 bytes.
    expect(body.includes('GET /healthz')).toBe(true);
    expect(body.includes('jeeves-otlp-probe')).toBe(true);
  });
});
