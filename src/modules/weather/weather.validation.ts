import type { z } from 'zod';
import { ValidationError } from '../../platform/errors';
import { cleanQuery } from './weather.keys';
import { placeQuerySchema, placeSchema } from './weather.schemas';
import type { Place } from './weather.types';

/**
 * Validates with the module's schemas and words errors as the app's error middleware words a
 * ZodError ("place: must not be empty"), so every implementation fails alike.
 */
function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, path: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = [path, ...(issue?.path ?? []).map(String)].filter((p) => p !== '').join('.');
  throw new ValidationError(`${where ? `${where}: ` : ''}${issue?.message ?? 'invalid input'}`, result.error.issues);
}

/** A place query as sent to the geocoder; throws HTTP.VALIDATION when empty or too long. */
export function validPlaceQuery(query: unknown): string {
  return cleanQuery(parseOrThrow(placeQuerySchema, query, 'place'));
}

/** A Place with unknown fields dropped; throws HTTP.VALIDATION when out of range or incomplete. */
export function validPlace(place: unknown): Place {
  return parseOrThrow(placeSchema, place, '');
}
