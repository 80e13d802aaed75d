/** Text handling shared by the bot and its commands: normalising input, escaping output. */

/** Longer messages are refused unread: no command needs more, and parsing them costs. */
export const MAX_MESSAGE_LENGTH = 2000;

/** Trimmed, runs of any whitespace (NBSP, tabs, newlines) as one space, unicode in NFC. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Length as a member counts it: an emoji or 東 is one character, not two UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * If `text` starts with the words of `phrase` (whole words, case-insensitive), returns the
 * rest with its case kept ('' when nothing follows); else null. So "WEATHER in Paris"
 * matches "weather in" with "Paris", and "weather inverness" does not match "weather in".
 */
export function matchWords(text: string, phrase: string): string | null {
  const expected = phrase.trim().split(/\s+/u);
  const tokens = normaliseText(text).split(' ');
  if (tokens.length < expected.length) return null;
  for (const [i, word] of expected.entries()) {
    if (tokens[i]!.toLowerCase() !== word.toLowerCase()) return null;
  }
  return tokens.slice(expected.length).join(' ');
}

/**
 * Slack reads &, < and > as markup (<!channel> pings everyone), so every reply is escaped
 * once, at the end. Emphasis (*bold*, `code`) is unaffected.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
