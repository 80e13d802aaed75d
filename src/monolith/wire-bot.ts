import type { Infrastructure } from '../infrastructure/infrastructure';
import { alertCommands, type AlertsService } from '../modules/alerts';
import { createBot, type Bot } from '../modules/bot';
import { reminderCommands, type RemindersService } from '../modules/reminders';
import type { MessageHandler } from '../modules/slack';
import type { UsersService } from '../modules/users';
import type { WeatherService } from '../modules/weather';

export interface BotWiring {
  bot: Bot;
  /** What Slack's ingress hands each incoming message to. */
  handler: MessageHandler;
}

export function wireBot(infra: Infrastructure, ports: { users: UsersService; weather: WeatherService; reminders: RemindersService; alerts: AlertsService }): BotWiring {
  const bot = createBot({
    users: ports.users,
    weather: ports.weather,
    logger: infra.logger,
    commands: [...reminderCommands(ports.reminders), ...alertCommands(ports.alerts)],
  });
  const handler: MessageHandler = (message) =>
    bot.handle({
      teamId: message.teamId,
      userId: message.userId,
      channelId: message.channelId,
      text: message.text,
      ...(message.threadTs ? { threadTs: message.threadTs } : {}),
    });
  return { bot, handler };
}
