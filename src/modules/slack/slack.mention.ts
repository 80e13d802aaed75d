/**
 * Slack writes a mention as `<@U0LAN0Z89>` (sometimes `<@U0LAN0Z89|jeeves>`). The bot's
 * commands should not see the address, only what was asked.
 */
const LEADING_MENTIONS = /^(?:\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*)+/i;

/**
 * Removes the mentions that address the message (at its start), and any mention of the bot
 * elsewhere; mentions of other people in the body stay, they may matter to the command.
 */
export function stripMentions(text: string, botUserIds: readonly string[] = []): string {
  let stripped = text.replace(LEADING_MENTIONS, '');
  for (const id of botUserIds) {
    if (stripped.includes(`<@${id}`)) {
      const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      stripped = stripped.replace(new RegExp(`\\s*<@${escaped}(?:\\|[^>]*)?>\\s*`, 'g'), ' ');
    }
  }
  return stripped.trim();
}

/**
 * Slack escapes `&`, `<` and `>` in what people type (its own markup keeps real angle
 * brackets). Decoded after the markup is gone, so commands see what the person wrote.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
