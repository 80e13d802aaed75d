import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../../platform/errors';
import type { SignatureVerifier } from './slack.signature';

/** Slack's payloads are small; anything bigger is refused with 413 before it is verified. */
export const SLACK_BODY_LIMIT = '1mb';

/**
 * Reads the body as raw bytes whatever its content type (the signature covers the bytes
 * exactly as sent). One instance per router, built once, not per request.
 */
export function rawBody(): RequestHandler {
  return express.raw({ type: () => true, limit: SLACK_BODY_LIMIT });
}

const EMPTY = Buffer.alloc(0);

/** The raw body, verified against Slack's signature headers; throws 401 AppErrors. */
export function verifiedBody(req: Request, verify: SignatureVerifier): Buffer {
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
