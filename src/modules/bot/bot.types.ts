import type { UserProfile, UserRef } from '../users';
import type { Logger } from '../../platform/logger';

/** One message addressed to the bot, whatever the way in (mention, DM, slash command). */
export interface BotMessage {
  teamId: string;
  userId: string;
  channelId: string;
  /** What the member typed, mention markup already stripped and Slack's entities decoded. */
  text: string;
  threadTs?: string;
  displayName?: string;
}

/** What a command's handler gets besides its parsed arguments. */
export interface CommandContext {
  user: UserRef;
  /** The member as they were when this message arrived (created if they were new). */
  profile: UserProfile;
  message: BotMessage;
  logger: Logger;
}

/**
 * One chat command. `match` gets the normalised text (trimmed, single spaces, NFC) and
 * returns its parsed arguments, or null when the text is not for this command. A command
 * that recognises its own word but not the rest should still match and answer with its
 * usage, rather than fall through to "I don't understand".
 */
export interface Command<A = unknown> {
  readonly name: string;
  /** e.g. "weather [in] [<place>]"; shown by help. */
  readonly usage: string;
  /** One line, shown by help. */
  readonly description: string;
  readonly match: (text: string) => A | null;
  /**
   * Method syntax on purpose: it lets a Command<{ place: string }> sit in a Command[]
   * (parameters of methods are checked bivariantly). Sound in practice, because the
   * registry only ever passes a command the args its own `match` returned.
   * Returns the reply as plain text with mrkdwn emphasis; the bot escapes &, < and >.
   */
  handle(args: A, ctx: CommandContext): Promise<string>;
}
