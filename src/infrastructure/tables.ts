import type { EntitySchema } from 'typeorm';
import { alertsEntities } from '../modules/alerts';
import { authEntities } from '../modules/auth';
import { remindersEntities } from '../modules/reminders';
import { slackEntities } from '../modules/slack';
import { tokensEntities } from '../modules/tokens';
import { usersEntities } from '../modules/users';
import { workspacesEntities } from '../modules/workspaces';

/** Every module's tables, for the monolith's DataSource. */
export function allEntities(): EntitySchema[] {
  return [...slackEntities, ...usersEntities, ...remindersEntities, ...alertsEntities, ...tokensEntities, ...authEntities, ...workspacesEntities];
}
