import { defineCommand } from '../bot.registry';
import { matchWords } from '../../../kernel';
import type { Command } from '../bot.types';

const line = (command: Command) => `• \`${command.usage}\`: ${command.description}`;

/**
 * Help is written from the registry at each call, so a command registered later shows up
 * too. `help <command>` narrows it to that one.
 */
export function createHelpCommand({ commands }: { commands: () => readonly Command[] }): Command<string> {
  return defineCommand({
    name: 'help',
    usage: 'help [<command>]',
    description: 'list the commands I understand',
    match: (text) => matchWords(text, 'help'),
    async handle(topic) {
      const all = commands();
      if (topic !== '') {
        const one = all.find((command) => command.name.toLowerCase() === topic.toLowerCase());
        if (one) return line(one);
      }
      const intro = topic === '' ? '' : `I don't know a command called “${topic}”. `;
      return `${intro}*Here's what I can do:*\n${all.map(line).join('\n')}`;
    },
  });
}
