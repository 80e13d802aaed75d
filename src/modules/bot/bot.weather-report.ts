import { escapeMrkdwn, type MemberRef } from '../../kernel';
import { enrichContext } from '../../platform/context';
import { moduleLogger, type Logger } from '../../platform/logger';
import type { UsersService } from '../users';
import type { WeatherService } from '../weather';
import { replyForError } from './bot.replies';
import { savedLocationWeather } from './commands/weather.command';

export interface WeatherReportOptions {
  users: UsersService;
  weather: WeatherService;
  logger: Logger;
}

/**
 * A member's weather as `weather` would answer them (mrkdwn, escaped), for senders that are
 * not a chat: the alerts module's daily message. Errors are worded as the bot words them.
 */
export function createWeatherReport({ users, weather, ...deps }: WeatherReportOptions): (ref: MemberRef) => Promise<string> {
  const logger = moduleLogger(deps.logger, 'bot');
  return async (ref) => {
    const user = { teamId: ref.teamId, userId: ref.userId };
    enrichContext(user);
    try {
      return escapeMrkdwn(await savedLocationWeather(await users.getOrCreate(user, {}), weather));
    } catch (err) {
      return escapeMrkdwn(replyForError(err, logger, 'weather'));
    }
  };
}
