import { ValidationError } from '../../platform/errors';

/** Where a page ends: the last row's place in the (created_at, id) order. */
export interface PagePosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/;

/**
 * Opaque to callers so the order can change without breaking them. created_at is stored
 * with millisecond precision, so a JavaScript Date carries it exactly.
 */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): PagePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [at, id] = decoded as unknown[];
    const createdAt = typeof at === 'string' ? new Date(at) : new Date(NaN);
    if (!Number.isNaN(createdAt.getTime()) && typeof id === 'string' && UUID.test(id)) return { createdAt, id };
  }
  throw new ValidationError('cursor: not a cursor from this API; pass back nextCursor unchanged');
}
