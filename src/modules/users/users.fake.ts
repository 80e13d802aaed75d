import { createLogger, type Logger } from '../../platform/logger';
import { createMemoryUsersRepository } from './users.memory-repository';
import { usersServiceOver } from './users.service';
import type { UsersService } from './users.types';

/**
 * The users module in memory, for other modules' unit tests. The same rules as the real
 * one (it is the real service over a memory repository) and the same conformance suite.
 */
export function createFakeUsersService({ logger = createLogger({ level: 'silent' }) }: { logger?: Logger } = {}): UsersService {
  return usersServiceOver(createMemoryUsersRepository(), logger);
}
