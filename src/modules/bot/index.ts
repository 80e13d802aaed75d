/** The bot module's face: chat commands, parsed and answered. Nothing else is imported from outside. */
export { createBot, type Bot } from './bot.service';
export { createWeatherReport } from './bot.weather-report';
export type { Command } from './bot.types';
export { defineCommand } from './bot.registry';
export { saveLocation } from './commands/location.save';
