import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { send, type RawRequest } from '../../src/platform/http-transport';

/**
 * The outbound transport against real local servers (node:http on 127.0.0.1): its deadline,
 * its refusal to follow redirects, its one resend of an idempotent request whose kept socket
 * was dropped, and an https URL going out over TLS.
 */
interface Local {
  url: string;
  server: Server;
  /** How many requests each connection has carried, in the order they were opened. */
  perConnection: number[];
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, nth: number) => void): Promise<Local> {
  const perConnection: number[] = [];
  const counts = new WeakMap<Socket, number>();
  const server = createHttpServer((req, res) => {
    const index = counts.get(req.socket)!;
    perConnection[index] = (perConnection[index] ?? 0) + 1;
    handler(req, res, perConnection[index]);
  });
  server.on('connection', (socket) => {
    counts.set(socket, perConnection.length);
    perConnection.push(0);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, perConnection };
}

const servers: Array<{ close(): unknown; closeAllConnections?(): void }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections?.();
    server.close();
  }
});

async function local(handler: (req: IncomingMessage, res: ServerResponse, nth: number) => void): Promise<Local> {
  const found = await listen(handler);
  servers.push(found.server);
  return found;
}

const get = (timeoutMs = 2000): RawRequest => ({ method: 'GET', headers: {}, body: undefined, deadline: performance.now() + timeoutMs });

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected the request to fail, but it succeeded');
}

describe('http-transport send', () => {
  it('gives the status, the headers and the body as text, over a kept-alive connection', async () => {
    const server = await local((_req, res) => res.setHeader('x-answer', 'yes').end('héllo'));
    for (let i = 0; i < 5; i++) expect(await send(new URL(`${server.url}/a?b=c`), get())).toMatchObject({ status: 200, headers: { 'x-answer': 'yes' }, text: 'héllo' });
    // undici's pool may open one spare connection beside a busy one; never one per request.
    expect(server.perConnection.length).toBeLessThanOrEqual(2);
  });

  it('sends the method, the path with its query, the headers and the body with its length', async () => {
    let seen: { method?: string; url?: string; type?: string; length?: string; body?: string } = {};
    const server = await local((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, type: req.headers['content-type'], length: req.headers['content-length'], body };
        res.end();
      });
    });
    const answer = await send(new URL(`${server.url}/p?q=1`), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Zoë', deadline: performance.now() + 2000 });
    expect(answer).toMatchObject({ status: 200, text: '' });
    expect(seen).toEqual({ method: 'POST', url: '/p?q=1', type: 'text/plain', length: '4', body: 'Zoë' });
  });

  it('when no answer comes by the deadline, then it rejects with a TimeoutError', async () => {
    const server = await local(() => undefined);
    const started = performance.now();
    const err = await failure(send(new URL(server.url), get(100)));
    expect(err.name).toBe('TimeoutError');
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('when the answer starts but its body stalls past the deadline, then it rejects with a TimeoutError', async () => {
    const server = await local((_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('12345');
    });
    expect((await failure(send(new URL(server.url), get(100)))).name).toBe('TimeoutError');
  });

  it('when the server refuses the connection, then the error is not a TimeoutError', async () => {
    const server = await listen(() => undefined);
    const { url } = server;
    server.server.close();
    await once(server.server, 'close');
    const err = await failure(send(new URL(url), get()));
    expect(err.name).not.toBe('TimeoutError');
    expect(err.code).toBe('ECONNREFUSED');
  });

  it('when the server redirects, then the 3xx is the answer: the target is never asked', async () => {
    let targetAsked = false;
    const target = await local((_req, res) => {
      targetAsked = true;
      res.end('moved here');
    });
    const server = await local((_req, res) => res.writeHead(302, { location: `${target.url}/` }).end());
    const answer = await send(new URL(server.url), get());
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(`${target.url}/`);
    expect(targetAsked).toBe(false);
  });

  it('when a kept socket is dropped under a GET, then the GET is sent once more and answered', async () => {
    // The first request on a kept connection meets a reset: the race with the server's idle timeout.
    let resets = 0;
    const server = await local((req, res, nth) => {
      if (nth >= 2 && resets === 0) {
        resets += 1;
        req.socket.resetAndDestroy();
      } else res.end('ok');
    });
    for (let i = 0; i < 4; i++) expect((await send(new URL(server.url), get())).text).toBe('ok');
    expect(resets).toBe(1);
    expect(server.perConnection.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('when a kept socket is dropped under a POST, then it fails and is not sent again: it may have been acted on', async () => {
    let resets = 0;
    const server = await local((req, res, nth) => {
      req.resume();
      if (nth >= 2) {
        resets += 1;
        req.socket.resetAndDestroy();
      } else req.on('end', () => res.end('ok'));
    });
    const post = (): RawRequest => ({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x', deadline: performance.now() + 2000 });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await send(new URL(server.url), post()).then(
        (answer) => answer.text,
        (err: { code?: string }) => String(err.code),
      ));
    }
    expect(resets).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array.from({ length: resets }, () => 'ECONNRESET'));
    expect(server.perConnection.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('when a fresh connection is dropped under a GET, then it fails and is not sent again: that is the server answering', async () => {
    const server = await local((req) => req.socket.resetAndDestroy());
    expect((await failure(send(new URL(server.url), get()))).code).toBe('ECONNRESET');
    expect(server.perConnection.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('sends an https URL over TLS', async () => {
    // No certificate here: a TCP listener sees the TLS ClientHello (record type 22) and hangs up.
    const firstBytes: number[] = [];
    const tcp = createTcpServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        firstBytes.push(chunk[0]!);
        socket.destroy();
      });
    });
    servers.push(tcp);
    tcp.listen(0, '127.0.0.1');
    await once(tcp, 'listening');
    const err = await failure(send(new URL(`https://127.0.0.1:${(tcp.address() as AddressInfo).port}/`), get()));
    expect(err.name).not.toBe('TimeoutError');
    expect(firstBytes).toEqual([0x16]);
  });
});
