/** The bot module's face: chat commands, parsed and answered. Nothing else is imported from outside. */
export { createBot, type Bot, type BotDependencies } from './bot.service';
export { createWeatherReport, type WeatherReportOptions } from './bot.weather-report';
export type { BotMessage, Command, CommandContext } from './bot.types';
export { createCommandRegistry, defineCommand, type CommandRegistry, type CommandMatch } from './bot.registry';
export type { SettingInfo } from './commands/config.command';
export { saveLocation, type SaveLocationResult } from './commands/location.save';
