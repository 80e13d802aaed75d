/** The bot module's face: chat commands, parsed and answered. Nothing else is imported from outside. */
export { createBot, type Bot, type BotDependencies } from './bot.service';
export { createWeatherReport } from './bot.weather-report';
export type { BotMessage, Command } from './bot.types';
export { createCommandRegistry, defineCommand } from './bot.registry';
export { saveLocation } from './commands/location.save';
