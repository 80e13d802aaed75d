/**
 * The shared kernel: small helpers and port types that several modules speak in (members,
 * messages to post, local time, chat text, error codes). It imports no module and no platform.
 */
export { errorCode, hasCode } from './errors';
export { systemClock, type Clock, type MemberRef, type Notifier, type NotifierMessage, type TimezoneLookup } from './ports';
export { characterCount, escapeMrkdwn, matchWords, MAX_MESSAGE_LENGTH, normaliseText } from './text';
export { formatLocalDateTime, formatLocalTime, localDate, nextLocalTime, parseLocalTime, zoneOrUtc, type LocalTime } from './time';
