import { createUsersService, USERS_API_PATH, usersApiRoutes, usersRouter } from '../../src/modules/users';
import { moduleLogger } from '../../src/platform/logger';
import { buildOpenApiDocument } from '../../src/platform/openapi';
import type { ServiceDefinition } from '../../src/service-host/service-host';

/**
 * The users module as its own service (`npm run service -- users`). Its tables move with it:
 * give it its own DATABASE_URL and it migrates only the users tables there.
 */
export const usersService: ServiceDefinition = {
  name: 'users',
  ownedModules: ['users'],
  async build({ dataSource, logger }) {
    const users = createUsersService({ dataSource, logger: moduleLogger(logger, 'users') });
    return {
      routes: [{ path: USERS_API_PATH, router: usersRouter({ users }) }],
      openapi: buildOpenApiDocument({ title: 'Jeeves users service', version: '1.0.0', secured: usersApiRoutes(USERS_API_PATH) }),
    };
  },
};
