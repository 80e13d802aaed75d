import { errorCode, MAX_MESSAGE_LENGTH } from '../../kernel';
import type { Logger } from '../../platform/logger';

/** The bot's fixed replies, and the one place errors become words a member can act on. */

export function greeting(displayName?: string): string {
  const name = displayName?.trim();
  return `Hello${name ? ` ${name}` : ''}! I'm Jeeves. Say \`help\` to see what I can do.`;
}

export const NOT_UNDERSTOOD = "Sorry, I don't understand that. Say `help` to see what I can do.";

export const TOO_LONG = `That message is too long for me: please keep it to ${MAX_MESSAGE_LENGTH} characters at most.`;

export const APOLOGY = 'Sorry, something went wrong on my side. Please try again in a moment.';

export const WEATHER_UNAVAILABLE = 'The weather service cannot be reached right now. Try again in a minute.';

export function placeTooLong(maxLength: number): string {
  return `That place name is too long: I can look up names of at most ${maxLength} characters.`;
}

export function placeNotFound(place: string): string {
  return `I couldn't find a place called “${place}”.`;
}

/** The error's code when it carries one. Codes, not classes, cross module and service lines. */
function errorMessage(err: unknown): string | undefined {
  const message = (err as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && message.trim() !== '' ? message : undefined;
}

/** Messages written for the member who sent the bad value, shown as they are. */
const SHOWN_AS_IS = new Set(['USERS.UNKNOWN_SETTING', 'USERS.INVALID_SETTING']);

/**
 * A friendly reply for anything a command threw. A member's mistake is logged at debug, an
 * outage of a dependency at warn (its own module reports it); anything else is a bug someone
 * must look at, so it is logged at error.
 */
export function replyForError(err: unknown, logger: Logger, command?: string): string {
  const code = errorCode(err);
  if (code === 'WEATHER.UNAVAILABLE') {
    logger.warn({ err, code, command }, 'weather unavailable');
    return WEATHER_UNAVAILABLE;
  }
  if (code === 'WEATHER.PLACE_NOT_FOUND') {
    // Commands that know the place name answer this themselves; this is the fallback.
    logger.debug({ code, command }, 'place not found');
    return "I couldn't find that place.";
  }
  const message = errorMessage(err);
  if (code && SHOWN_AS_IS.has(code) && message) {
    logger.debug({ code, command }, message);
    return message;
  }
  if (code === 'HTTP.VALIDATION' && message) {
    // Usually a value the member typed (a setting of 2000 characters); warn, as it may be ours.
    logger.warn({ err, code, command }, message);
    return `I can't accept that: ${message.replace(/\.$/u, '')}.`;
  }
  logger.error({ err, code, command }, 'command failed');
  return APOLOGY;
}
