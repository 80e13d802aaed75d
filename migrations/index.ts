import type { MigrationClass } from '../src/platform/db/data-source';
import { AlertsCreateSubscriptions1795218438222 } from './1795218438222-alerts-create-subscriptions';
import { AuditCreateLog1795700000000 } from './1795700000000-audit-create-log';
import { AuthCreateTables1795520000000 } from './1795520000000-auth-create-tables';
import { RemindersCreateReminders1795218438221 } from './1795218438221-reminders-create-reminders';
import { RemindersSentFailed1795400000000 } from './1795400000000-reminders-sent-failed';
import { SlackDeliveries1795218368275 } from './1795218368275-slack-deliveries';
import { SlackDeadLetters1795300000000 } from './1795300000000-slack-dead-letters';
import { SlackReplies1795700000000 } from './1795700000000-slack-replies';
import { UsersCreateProfiles1795218363537 } from './1795218363537-users-create-profiles';
import { TokensCreateTables1795218479205 } from './1795218479205-tokens-create-tables';
import { TokensKeyringSealing1795600000000 } from './1795600000000-tokens-keyring-sealing';
import { WorkspacesCreateInstallations1795500000000 } from './1795500000000-workspaces-create-installations';

/**
 * Every migration, grouped by the module that owns the tables, in the order they apply.
 * An extracted service runs only its own module's list against its own database.
 */
export const migrationsByModule: Record<string, MigrationClass[]> = {
  slack: [SlackDeliveries1795218368275, SlackDeadLetters1795300000000, SlackReplies1795700000000],
  users: [UsersCreateProfiles1795218363537],
  reminders: [RemindersCreateReminders1795218438221, RemindersSentFailed1795400000000],
  alerts: [AlertsCreateSubscriptions1795218438222],
  tokens: [TokensCreateTables1795218479205, TokensKeyringSealing1795600000000],
  workspaces: [WorkspacesCreateInstallations1795500000000],
  auth: [AuthCreateTables1795520000000],
  audit: [AuditCreateLog1795700000000],
};

export function migrationsFor(modules: string[] = Object.keys(migrationsByModule)): MigrationClass[] {
  return modules.flatMap((m) => migrationsByModule[m] ?? []);
}
