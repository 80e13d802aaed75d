import net from 'node:net';

/**
 * The load generators' HTTP client: keep-alive HTTP/1.1 over raw sockets, each request built
 * to bytes before a timed run and sent in one write. Used by paced-load.ts and max-load.ts.
 */

export interface RawResponse {
  status: number;
  /** The server said Connection: close: the socket is not reused. */
  close: boolean;
}

export interface RawConnection {
  /** performance.now() when the request in flight was written; undefined when idle. */
  readonly busySince: number | undefined;
  /** Writes one request (already in bytes) in one write; `id` is handed back with its response. */
  send(id: number, bytes: Buffer): void;
  fail(err: Error): void;
  destroy(): void;
}

export interface RawConnectionOptions {
  host: string;
  port: number;
  onResponse(conn: RawConnection, id: number, res: RawResponse): void;
  /** The socket failed or closed; `id` is the request it had in flight, if any. */
  onFailure(conn: RawConnection, id: number | undefined): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection, one request at a time, with TCP_NODELAY: a request
 * leaves in a single write and a response is parsed just enough to know its status and
 * where it ends (Content-Length or chunked). Much cheaper per request than http.request,
 * so the generator spends little CPU and makes little garbage while it is timing.
 */
export function createRawConnection({ host, port, onResponse, onFailure }: RawConnectionOptions): RawConnection {
  const socket = net.connect({ host, port, noDelay: true });
  let pending: Buffer | undefined;
  let inFlight: number | undefined;
  let busySince: number | undefined;
  let closed = false;

  const conn: RawConnection = {
    get busySince() {
      return busySince;
    },
    send(id, bytes) {
      inFlight = id;
      busySince = performance.now();
      if (closed) queueMicrotask(gone);
      else socket.write(bytes);
    },
    fail(err) {
      socket.destroy(err);
    },
    destroy() {
      closed = true;
      socket.destroy();
    },
  };

  let reported = false;
  const gone = () => {
    if (reported || (closed && inFlight === undefined)) return;
    reported = true;
    const id = inFlight;
    closed = true;
    inFlight = undefined;
    busySince = undefined;
    onFailure(conn, id);
  };
  socket.on('error', gone);
  socket.on('close', gone);
  socket.on('data', (chunk: Buffer) => {
    pending = pending ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const parsed = parseResponse(pending);
      if (!parsed) return;
      pending = parsed.length < pending.length ? pending.subarray(parsed.length) : undefined;
      const id = inFlight;
      if (id === undefined) {
        socket.destroy(new Error('a response nobody asked for'));
        return;
      }
      inFlight = undefined;
      busySince = undefined;
      if (parsed.close) closed = true;
      onResponse(conn, id, parsed);
      if (!pending) return;
    }
  });
  return conn;
}

/** One whole response at the start of buf: its status, whether the server closes, and its length in bytes; undefined until it has all arrived. */
function parseResponse(buf: Buffer): (RawResponse & { length: number }) | undefined {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headerEnd).toLowerCase();
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection: *close/.test(head);
  const bodyStart = headerEnd + 4;
  const declared = /\r\ncontent-length: *(\d+)/.exec(head);
  if (declared) {
    const length = bodyStart + Number(declared[1]);
    return buf.length >= length ? { status, close, length } : undefined;
  }
  if (!/\r\ntransfer-encoding: *chunked/.test(head)) return { status, close, length: bodyStart };
  // Chunked: sizes in hex, each chunk followed by CRLF; a zero-size chunk and a blank line end it (no trailers sent here).
  let at = bodyStart;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
    if (size === 0) return buf.length >= lineEnd + 4 ? { status, close, length: lineEnd + 4 } : undefined;
    at = lineEnd + 2 + size + 2;
    if (at > buf.length) return undefined;
  }
}


/** A request in flight longer than this counts as an error. */
export const TIMEOUT_MS = 10_000;

/** One timer for every connection's request timeout, not one per request; stop it when the run ends. */
export function watchTimeouts(connections: Set<RawConnection>): NodeJS.Timeout {
  return setInterval(() => {
    const now = performance.now();
    for (const conn of connections) if (conn.busySince !== undefined && now - conn.busySince > TIMEOUT_MS) conn.fail(new Error('timeout'));
  }, 500);
}
