import { enrichContext } from '../../platform/context';
import { moduleLogger, type Logger } from '../../platform/logger';
import type { UserRef, UsersService } from '../users';
import type { WeatherService } from '../weather';
import { createCommandRegistry } from './bot.registry';
import { APOLOGY, greeting, NOT_UNDERSTOOD, replyForError, TOO_LONG } from './bot.replies';
import { characterCount, escapeMrkdwn, MAX_MESSAGE_LENGTH, normaliseText } from '../../kernel';
import type { BotMessage, Command } from './bot.types';
import { createConfigCommand, type SettingInfo } from './commands/config.command';
import { createHelpCommand } from './commands/help.command';
import { createLocationCommand } from './commands/location.command';
import { createWeatherCommand } from './commands/weather.command';

export interface BotDependencies {
  users: UsersService;
  weather: WeatherService;
  logger: Logger;
  /** Commands from other modules (alerts, reminders), matched and listed after the built-in ones. */
  commands?: readonly Command[];
  /** Settings `config` lists as changeable (default: the users module's USER_SETTINGS); the users module stays the judge of what is valid. */
  settings?: readonly SettingInfo[];
}

export interface Bot {
  /** The reply to one message, as Slack mrkdwn. Never rejects, whatever the member typed. */
  handle(message: BotMessage): Promise<string>;
  /** Adds a command after the ones already there. Throws on a duplicate name. */
  register<A>(command: Command<A>): void;
  commands(): readonly Command[];
}

export function createBot({ users, weather, commands = [], settings, ...deps }: BotDependencies): Bot {
  const logger = moduleLogger(deps.logger, 'bot');
  const registry = createCommandRegistry();
  registry.register(createHelpCommand({ commands: () => registry.commands() }));
  registry.register(createWeatherCommand({ weather }));
  registry.register(createLocationCommand({ users, weather }));
  registry.register(createConfigCommand({ users, ...(settings ? { settings } : {}) }));
  for (const command of commands) registry.register(command);

  async function reply(message: BotMessage): Promise<string> {
    // Typed as a string, but a caller in plain JS or a bad payload may hand over anything.
    const text = normaliseText(typeof message.text === 'string' ? message.text : '');
    if (characterCount(text) > MAX_MESSAGE_LENGTH) return TOO_LONG;

    const user: UserRef = { teamId: message.teamId, userId: message.userId };
    enrichContext(user);
    const init = message.displayName ? { displayName: message.displayName } : {};
    let commandName: string | undefined;
    try {
      // First, so that every member who talks to Jeeves exists, whatever they said.
      const profile = await users.getOrCreate(user, init);
      // The `name` setting is how the member asked to be addressed; it wins over Slack's name.
      if (text === '') return greeting(profile.settings.name ?? message.displayName ?? profile.displayName ?? undefined);
      const found = registry.match(text);
      if (!found) return NOT_UNDERSTOOD;
      commandName = found.command.name;
      return await found.command.handle(found.args, { user, profile, message, logger });
    } catch (err) {
      return replyForError(err, logger, commandName);
    }
  }

  return {
    async handle(message) {
      try {
        return escapeMrkdwn(await reply(message));
      } catch (err) {
        // Only a broken message object or logger gets here; the member still gets an answer.
        try {
          logger.error({ err }, 'bot failed to answer');
        } catch {
          // Nothing left to tell; the apology below is all that can be done.
        }
        return escapeMrkdwn(APOLOGY);
      }
    },
    register: (command) => registry.register(command),
    commands: () => registry.commands(),
  };
}
