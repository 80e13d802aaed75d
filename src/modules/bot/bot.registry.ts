import { AppError } from '../../platform/errors';
import type { Command } from './bot.types';

/** A command and the arguments its `match` parsed from one message. */
export interface CommandMatch {
  command: Command;
  args: unknown;
}

/** The commands the bot understands. Registration order is matching order and help order. */
export interface CommandRegistry {
  /** Throws BOT.INVALID_COMMAND on a duplicate name or a missing field: a programming error. */
  register<A>(command: Command<A>): void;
  commands(): readonly Command[];
  /** The first command whose `match` accepts the (normalised) text, or null. */
  match(text: string): CommandMatch | null;
}

/** Identity at run time; gives `handle` its args type inferred from `match`. */
export function defineCommand<A>(command: Command<A>): Command<A> {
  return command;
}

function invalid(message: string): AppError {
  return new AppError('BOT.INVALID_COMMAND', message, 500);
}

function validate(command: Command, taken: readonly Command[]): void {
  const name = command.name?.trim();
  if (!name) throw invalid('A command needs a name.');
  if (/\s/u.test(name)) throw invalid(`Command name "${name}" must be one word.`);
  if (!command.usage?.trim()) throw invalid(`Command "${name}" needs a usage line.`);
  const description = command.description?.trim();
  if (!description || /\n/u.test(description)) throw invalid(`Command "${name}" needs a one-line description.`);
  if (taken.some((other) => other.name.toLowerCase() === name.toLowerCase())) {
    throw invalid(`A command named "${name}" is already registered.`);
  }
}

export function createCommandRegistry(initial: readonly Command[] = []): CommandRegistry {
  const registered: Command[] = [];
  const registry: CommandRegistry = {
    register(command) {
      validate(command, registered);
      registered.push(command);
    },
    commands() {
      return Object.freeze([...registered]);
    },
    match(text) {
      for (const command of registered) {
        const args = command.match(text);
        if (args !== null && args !== undefined) return { command, args };
      }
      return null;
    },
  };
  for (const command of initial) registry.register(command);
  return registry;
}
