import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { requestJson } from '../../src/platform/http-client';

/**
 * requestJson over its kept-alive sockets, against a raw TCP server so each test decides
 * exactly what the connection does: answer and stay open, reset a reused socket, stall.
 */
const OK = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nkeep-alive: timeout=5\r\n\r\n{"ok":true}';

interface RawServer {
  url: string;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

/** `answer` gets each request head (and the socket's request count) and writes what it likes. */
async function rawServer(answer: (socket: Socket, head: string, nth: number) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, requests: [] as string[] };
  const server: Server = createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let nth = 0;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      // Heads only, plus any body announced by content-length (the tests send small ones).
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        state.requests.push(buffered.slice(0, end + 4 + length));
        buffered = buffered.slice(end + 4 + length);
        nth += 1;
        answer(socket, head, nth);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return state.connections;
    },
    requests: state.requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; status?: number; message?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; status?: number };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('requestJson', () => {
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends one call after another over kept-alive connections', async () => {
    server = await rawServer((socket) => socket.write(OK));
    for (let i = 0; i < 10; i++) expect((await requestJson(`${server.url}/x`)).body).toEqual({ ok: true });
    // undici's pool opens a spare connection beside a busy one: at most two, not one per call.
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('sends the JSON body with its type and length, and the caller headers', async () => {
    server = await rawServer((socket) => socket.write(OK));
    await requestJson(`${server.url}/x`, { method: 'PUT', body: { name: 'Zoë' }, headers: { authorization: 'Bearer t' } });
    const sent = server.requests[0]!;
    expect(sent).toMatch(/^PUT \/x HTTP\/1.1\r\n/);
    expect(sent).toMatch(/\r\ncontent-type: application\/json\r\n/i);
    expect(sent).toMatch(/\r\ncontent-length: 15\r\n/i);
    expect(sent).toMatch(/\r\nauthorization: Bearer t\r\n/i);
    expect(Buffer.from(sent.split('\r\n\r\n')[1]!, 'latin1').toString('utf8')).toBe('{"name":"Zoë"}');
  });

  it('when the server dropped a kept socket, then an idempotent call is sent once more on a new one', async () => {
    // The first request on a kept connection is met with a reset: the race with an idle timeout.
    let resets = 0;
    server = await rawServer((socket, _head, nth) => (nth >= 2 && resets === 0 ? (resets++, socket.resetAndDestroy()) : socket.write(OK)));
    for (let i = 0; i < 4; i++) expect((await requestJson(`${server.url}/x`)).body).toEqual({ ok: true });
    expect(resets).toBe(1);
    // The reset request went once more.
    expect(server.requests).toHaveLength(5);
  });

  it('when the server dropped a kept socket under a POST, then UNAVAILABLE: it may have been acted on', async () => {
    let resets = 0;
    server = await rawServer((socket, _head, nth) => (nth >= 2 ? (resets++, socket.resetAndDestroy()) : socket.write(OK)));
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await requestJson(`${server.url}/x`, { method: 'POST', body: {} }, 'USERS').then(
        () => 'ok',
        (err: { code?: string; status?: number }) => `${err.code} ${err.status}`,
      ));
    }
    expect(resets).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array.from({ length: resets }, () => 'USERS.UNAVAILABLE 503'));
    // No POST was sent twice.
    expect(server.requests).toHaveLength(4);
  });

  it('when the answer starts but its body stalls, then UNAVAILABLE once the timeout has passed', async () => {
    server = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok"'));
    const started = performance.now();
    const err = await rejection(requestJson(`${server.url}/x`, { timeoutMs: 150 }, 'WEATHER'));
    expect(err).toMatchObject({ code: 'WEATHER.UNAVAILABLE', message: 'weather service did not answer within 150 ms' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('when the connection closes mid-body, then UNAVAILABLE', async () => {
    server = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n{"ok"'));
    expect(await rejection(requestJson(`${server.url}/x`, {}, 'USERS'))).toMatchObject({ code: 'USERS.UNAVAILABLE' });
  });

  it('when the server redirects, then it is not followed: HTTP_302, unavailable', async () => {
    server = await rawServer((socket) => socket.write('HTTP/1.1 302 Found\r\nlocation: http://example.com/\r\ncontent-length: 0\r\n\r\n'));
    expect(await rejection(requestJson(`${server.url}/x`, {}, 'USERS'))).toMatchObject({ code: 'USERS.HTTP_302', status: 503 });
  });

  it('gives the answer headers as fetch did, when asked', async () => {
    server = await rawServer((socket) => socket.write(OK));
    const { status, headers } = await requestJson(`${server.url}/x`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json');
  });
});
