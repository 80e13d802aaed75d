import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../../platform/errors';
import { bindToActiveContext } from '../../platform/tracing';
import type { SignatureVerifier } from './slack.signature';

/** Slack's payloads are small; anything bigger is refused with 413 before it is verified. */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

const EMPTY = Buffer.alloc(0);

function tooLarge(): AppError {
  return new AppError('HTTP.PAYLOAD_TOO_LARGE', 'The request body is too large.', 413);
}

/**
 * Reads the body as raw bytes whatever its content type (the signature covers the bytes
 * exactly as sent) into req.body. Read directly rather than through express.raw, whose parsing
 * costs more than the read on the ingest hot path (bench/README.md). Slack never compresses its
 * requests, so a Content-Encoding other than identity is refused (415) rather than inflated.
 */
export function rawBody(limit: number = SLACK_BODY_LIMIT_BYTES): RequestHandler {
  return (req, _res, next) => readRawBody(req, next, limit);
}

/** What rawBody() does, as a plain function: reads req.body, then calls done once, with an AppError on refusal. */
export function readRawBody(req: IncomingMessage, done: (err?: AppError) => void, limit: number = SLACK_BODY_LIMIT_BYTES): void {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    done(new AppError('HTTP.UNSUPPORTED_ENCODING', `Unsupported content encoding "${encoding}".`, 415));
    return;
  }
  const declared = req.headers['content-length'];
  // Refused before a byte is read when the sender says up front that it is too big.
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    done(tooLarge());
    return;
  }
  // State on the request and shared listeners: no closures built per request on the hot path.
  // Bound when tracing: the body's events run in the socket's context, not the request's span.
  (req as Reading)[READ] = { chunks: [], size: 0, limit, next: bindToActiveContext(done) };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.on('close', onClose);
}

interface ReadState {
  chunks: Buffer[];
  size: number;
  limit: number;
  next: (err?: AppError) => void;
}

const READ = Symbol('jeeves.rawBody');
type Reading = IncomingMessage & { [READ]?: ReadState; body?: unknown };

function finish(req: Reading, err?: AppError): void {
  const state = req[READ];
  if (!state) return;
  req[READ] = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('error', onError);
  req.off('close', onClose);
  if (err) {
    // Drained, not kept: the error response can still go out on a keep-alive connection.
    req.resume();
    state.next(err);
    return;
  }
  const { chunks, size } = state;
  req.body = chunks.length === 1 ? chunks[0] : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, size);
  state.next();
}

function onData(this: Reading, chunk: Buffer): void {
  const state = this[READ];
  if (!state) return;
  state.size += chunk.length;
  if (state.size > state.limit) finish(this, tooLarge());
  else state.chunks.push(chunk);
}

function onEnd(this: Reading): void {
  finish(this);
}

function onError(this: Reading, err: Error): void {
  finish(this, new AppError('HTTP.BAD_REQUEST', 'The request body could not be read.', 400, { cause: err }));
}

/** A close before the end is the client giving up mid-body. */
function onClose(this: Reading): void {
  finish(this, new AppError('HTTP.BAD_REQUEST', 'The request was aborted.', 400));
}

/** The raw body, verified against Slack's signature headers; throws 401 AppErrors. */
export function verifiedBody(req: IncomingMessage & { body?: unknown }, verify: SignatureVerifier): Buffer {
  const body = Buffer.isBuffer(req.body) ? req.body : EMPTY;
  verify(req.headers['x-slack-request-timestamp'], req.headers['x-slack-signature'], body);
  return body;
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new AppError('HTTP.MALFORMED_JSON', 'The request body is not valid JSON.', 400, { cause: err });
  }
}
